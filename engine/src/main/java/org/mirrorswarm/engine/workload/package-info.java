/**
 * Workloads: value distributions for scenario fields, package sizes from real Debian data, a package
 * catalogue with Zipf popularity, and client arrival processes (flash crowd, Poisson).
 */
package org.mirrorswarm.engine.workload;
