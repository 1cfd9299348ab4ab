package org.mirrorswarm.engine;

/**
 * Sizes of control messages, in bytes. HTTP sizes are typical of GET requests and their headers; the
 * BitTorrent sizes are from BEP 15 (UDP tracker protocol) and BEP 3 (.torrent: 20-byte SHA-1 per piece).
 */
final class Messages {
    /** An HTTP GET with its headers. */
    static final long HTTP_REQUEST = 250;
    /** BEP 15 connect request and response are 16 bytes each. */
    static final long UDP_CONNECT = 16;
    /** BEP 15 announce request: 98 bytes. */
    static final long ANNOUNCE_REQUEST = 98;
    /** Peers a client asks for per announce (numwant). */
    static final int BT_PEERS_WANTED = 50;

    private Messages() {
    }

    /** BEP 15 announce response: 20 bytes plus 6 per peer (IPv4 address and port). */
    static long announceResponse(int peers) {
        return 20 + 6L * peers;
    }

    /**
     * A Metalink v4 answer for one file: XML envelope and headers (~700 bytes), whole-file hashes (~130),
     * ~150 bytes per mirror URL, and ~90 bytes per piece hash (64 hex digits in a {@code hash} element).
     */
    static long metalink(Run run, int pkg) {
        return 700 + 130 + 150L * run.scenario.tracker().mirrorsPerAnswer() + 90L * run.plans[pkg].pieceCount();
    }

    /**
     * A .torrent for one package: ~300 bytes of bencoded info (name, length, piece length), 20 bytes of
     * SHA-1 per piece, and ~100 bytes per web-seed URL in its url-list (BEP 19).
     */
    static long torrent(Run run, int pkg) {
        return 300 + 20L * run.plans[pkg].pieceCount() + 100L * run.scenario.tracker().mirrorsPerAnswer();
    }

    /**
     * A repository manifest: ~500 bytes of envelope, ~150 bytes per package (name, size, whole-file
     * hash), ~70 bytes per piece hash (hex in JSON), and the mirror list (~100 bytes per mirror).
     */
    static long manifest(Run run) {
        long b = 500 + 100L * run.mirrors.length;
        for (int k = 0; k < run.plans.length; k++) {
            b += 150 + 70L * run.plans[k].pieceCount();
        }
        return b;
    }
}
