/**
 * The discrete-event simulator. A {@link org.mirrorswarm.engine.Scenario} (network, mirror groups with
 * their faults, clients, packages, tracker) and a {@link org.mirrorswarm.engine.Variant} (the clients'
 * scheduler configuration and, optionally, another tracker-overhead or freshness strategy) make one run
 * with {@link org.mirrorswarm.engine.Simulation}; an {@link org.mirrorswarm.engine.Experiment} runs
 * replications of several variants with common random numbers, in parallel. Every client downloads
 * through an unchanged {@code strategies} scheduler, fed with simulated time.
 *
 * <p>Each run has its own SSJ {@code Simulator} with a {@link org.mirrorswarm.engine.sim.HeapEventList},
 * its own clones of the random streams, and its own bandwidth model; nothing is shared between runs
 * but immutable scenario data.
 */
package org.mirrorswarm.engine;
