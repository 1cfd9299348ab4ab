package org.mirrorswarm.reports;

/**
 * What {@code run.json} records about a run of a scenario file.
 *
 * @param scenario     scenario name
 * @param question     what it answers
 * @param seed         scenario seed
 * @param version      mirrorswarm version
 * @param started      when the run started (ISO-8601), for the record only: results do not depend on it
 * @param wallSeconds  wall-clock duration
 * @param events       SSJ events executed over all runs
 * @param runs         runs (points × strategies × replications)
 * @param threads      runs in parallel
 * @param replications replications per strategy and point
 * @param java         Java runtime
 */
public record RunInfo(String scenario, String question, long seed, String version, String started, double wallSeconds,
                      long events, int runs, int threads, int replications, String java) {
    /** Events per wall-clock second over the whole run. */
    public double eventsPerSecond() {
        return wallSeconds == 0 ? 0 : events / wallSeconds;
    }
}
