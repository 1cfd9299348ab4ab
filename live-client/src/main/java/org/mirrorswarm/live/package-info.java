/**
 * The live client: byte-range downloads from real HTTP mirrors with
 * OkHttp, driven by the same {@code strategies} scheduler as the simulator; Metalink v4/v3 reading and
 * writing with JDK StAX, RFC 6249 headers, per-piece verification while streaming, a journal for resume,
 * and an atomic rename once the whole-file hash matches.
 */
package org.mirrorswarm.live;
