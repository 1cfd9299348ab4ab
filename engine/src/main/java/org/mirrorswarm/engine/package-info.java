/**
 * The discrete-event simulator (to come with the simulator issue): an SSJ {@code Simulator} per run, a
 * flow-level network with exact max-min and fast bandwidth sharing, mirror, client, tracker and peer
 * entities with their faults, workloads from real package sizes, metrics, and the experiment runner for
 * replications and sweeps. Clients download through the unchanged schedulers of {@code strategies}.
 */
package org.mirrorswarm.engine;
