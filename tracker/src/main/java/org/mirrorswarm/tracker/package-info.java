/**
 * The tracker (to come with the tracker issue): the seed's "main server", on embedded Jetty 12. It
 * hashes the repository's files into pieces, serves Metalinks, RFC 6249 redirects and a signed
 * repository manifest, and keeps the mirror list current by heartbeat and crawl.
 */
package org.mirrorswarm.tracker;
