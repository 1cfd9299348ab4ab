/**
 * Simulation plumbing: the fast SSJ event list, the set of random streams that gives compared
 * strategies common random numbers, and stateless hashing for per-event draws.
 */
package org.mirrorswarm.engine.sim;
