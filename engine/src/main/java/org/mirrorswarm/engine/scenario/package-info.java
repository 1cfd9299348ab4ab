/**
 * Scenario files: YAML read with the position of every value, merged over the commented
 * {@code reference.yaml} (which is both the defaults and the schema), overridden by {@code --set}, bound
 * to the engine's scenario model with errors that name file, line and column, and expanded into sweep
 * points.
 */
package org.mirrorswarm.engine.scenario;
