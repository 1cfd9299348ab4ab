/**
 * Tail policies: what to do with connections left idle near the end of a download, when the pieces
 * still missing are all in flight — wait, duplicate, hedge the slow, or split their ranges.
 */
package org.mirrorswarm.strategies.tail;
