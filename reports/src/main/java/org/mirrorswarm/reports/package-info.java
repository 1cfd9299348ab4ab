/**
 * Reports (to come with the scenarios issue): JFreeChart charts as PNG and SVG, CSV tables and one
 * self-contained HTML page per run, for simulated and live runs alike, re-renderable from the CSV.
 */
package org.mirrorswarm.reports;
