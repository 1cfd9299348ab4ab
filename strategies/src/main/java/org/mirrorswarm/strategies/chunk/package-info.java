/**
 * Chunk-assignment strategies: which pieces a free connection fetches next, and from which mirror.
 * Each class cites where its algorithm comes from; ids are stable and used by scenario files and reports.
 */
package org.mirrorswarm.strategies.chunk;
