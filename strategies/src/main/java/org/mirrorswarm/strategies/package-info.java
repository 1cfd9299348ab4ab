/**
 * The scheduler shared by the simulator and the live client.
 *
 * <p>A {@link org.mirrorswarm.strategies.Scheduler} is an event-driven state machine: a shell (the SSJ
 * simulator or the OkHttp client) feeds it {@link org.mirrorswarm.strategies.Event}s stamped with the
 * shell's time and executes the {@link org.mirrorswarm.strategies.Action}s it answers with. Nothing in
 * this module reads a clock, sleeps, starts a thread or touches a file or socket: that is what makes a
 * live run replayable and every strategy testable deterministically.
 */
package org.mirrorswarm.strategies;
