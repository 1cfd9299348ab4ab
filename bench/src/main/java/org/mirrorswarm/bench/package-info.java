/**
 * Benchmarks, never run by {@code mvn test}: JMH micro-benchmarks (event list, bandwidth models,
 * scheduler decisions) shaded into {@code benchmarks.jar}, and the live benchmark harness against aria2.
 */
package org.mirrorswarm.bench;
