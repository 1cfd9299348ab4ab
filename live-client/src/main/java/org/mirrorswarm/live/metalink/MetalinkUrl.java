package org.mirrorswarm.live.metalink;

/**
 * A mirror URL of a file.
 *
 * @param url            an absolute http or https URL
 * @param priority       1 is the most preferred (v4 {@code priority}; v3 {@code preference} p maps to 101 − p)
 * @param location       ISO 3166 country code as given, lower case, or empty
 * @param maxConnections the document's per-URL connection limit, or 0 when none is given
 */
public record MetalinkUrl(String url, int priority, String location, int maxConnections) {
}
