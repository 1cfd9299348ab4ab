/**
 * Reports: {@link org.mirrorswarm.reports.ResultsWriter} writes a run's CSV files, {@code scenario.yaml} and
 * {@code run.json}; {@link org.mirrorswarm.reports.Report} reads those files back and draws every chart
 * (PNG and SVG, JFreeChart and JFreeSVG) and one self-contained {@code index.html}. Charts come from the
 * CSV files only, so a report can be drawn again without simulating.
 */
package org.mirrorswarm.reports;
