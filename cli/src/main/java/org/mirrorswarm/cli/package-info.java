/**
 * The {@code mirrorswarm} command: a picocli root command whose subcommands run simulations, list
 * strategies, fetch files and serve a tracker. Exit codes: 0 success, 1 the run failed, 2 bad usage or
 * bad input. This module also picks the logging backend and builds the runnable jar.
 */
package org.mirrorswarm.cli;
