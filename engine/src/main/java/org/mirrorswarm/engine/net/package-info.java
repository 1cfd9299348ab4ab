/**
 * Flow-level network: links with capacities, flows between an uplink and a downlink, and the two
 * bandwidth-sharing models behind {@link org.mirrorswarm.engine.net.BandwidthModel} — exact max-min
 * fairness and a fast per-uplink processor-sharing approximation.
 */
package org.mirrorswarm.engine.net;
