package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilePlanTest {
    private static Digest sha(int b) {
        byte[] v = new byte[32];
        v[0] = (byte) b;
        return Digest.of(HashAlgorithm.SHA_256, v);
    }

    @Test
    void piecesTileTheFileAndTheLastIsShorter() {
        FilePlan p = FilePlan.synthetic("f", 10_000, 4096);
        assertThat(p.pieceCount()).isEqualTo(3);
        assertThat(p.pieceRange(0)).isEqualTo(new ByteRange(0, 4096));
        assertThat(p.pieceRange(2)).isEqualTo(new ByteRange(8192, 10_000));
        assertThat(p.pieceLength(2)).isEqualTo(10_000 - 8192);
        assertThat(p.range(1, 3)).isEqualTo(new ByteRange(4096, 10_000));
        assertThat(p.bytes(0, 3)).isEqualTo(10_000);
        assertThat(p.bytes(2, 2)).isZero();
    }

    @Test
    void bytesIsTheLengthOfTheRangeAndRefusesPiecesOutsideTheFile() {
        for (FilePlan p : List.of(FilePlan.synthetic("f", 10_000, 4096), FilePlan.synthetic("g", 8192, 4096),
                FilePlan.synthetic("big", (5L << 40) + 7, 1 << 30))) {
            int n = p.pieceCount();
            int[] at = {0, 1, 2, n / 2, n - 2, n - 1, n};
            for (int first : at) {
                for (int end : at) {
                    if (first < 0 || end <= first || end > n) {
                        continue;
                    }
                    assertThat(p.bytes(first, end)).as("%s [%d, %d)", p.name(), first, end)
                            .isEqualTo(p.range(first, end).length());
                }
            }
            assertThat(p.bytes(0, n)).isEqualTo(p.size());
            assertThatThrownBy(() -> p.bytes(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> p.bytes(0, n + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void exactMultiplesAndEmptyFiles() {
        assertThat(FilePlan.synthetic("f", 8192, 4096).pieceCount()).isEqualTo(2);
        FilePlan empty = FilePlan.synthetic("e", 0, 4096);
        assertThat(empty.pieceCount()).isZero();
        assertThat(empty.hasPieceHashes()).isTrue();
        assertThatThrownBy(() -> empty.pieceRange(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void largeFilesDoNotOverflow() {
        FilePlan p = FilePlan.synthetic("big", 5L << 40, 1 << 20);
        assertThat(p.pieceCount()).isEqualTo(5 << 20);
        assertThat(p.pieceStart(p.pieceCount() - 1)).isEqualTo((5L << 40) - (1 << 20));
        assertThatThrownBy(() -> FilePlan.synthetic("huge", Long.MAX_VALUE, 1))
                .hasMessageContaining("too many");
    }

    @Test
    void pieceHashesMustMatchThePiecesAndShareOneAlgorithm() {
        FilePlan ok = new FilePlan("f", 10, 4, List.of(sha(1), sha(2), sha(3)), null);
        assertThat(ok.pieceHash(1)).isEqualTo(sha(2));
        assertThat(ok.hasPieceHashes()).isTrue();
        assertThatThrownBy(() -> new FilePlan("f", 10, 4, List.of(sha(1)), null))
                .hasMessageContaining("3 pieces").hasMessageContaining("1 piece hashes");
        Digest md5 = Digest.ofHex(HashAlgorithm.MD5, "d41d8cd98f00b204e9800998ecf8427e");
        assertThatThrownBy(() -> new FilePlan("f", 8, 4, List.of(sha(1), md5), null)).hasMessageContaining("mix");
        assertThat(FilePlan.synthetic("s", 10, 4).pieceHash(0)).isNull();
        assertThat(FilePlan.synthetic("s", 10, 4).hasPieceHashes()).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> FilePlan.synthetic("", 1, 1)).hasMessageContaining("empty");
        assertThatThrownBy(() -> FilePlan.synthetic("f", -1, 1)).hasMessageContaining("negative size");
        assertThatThrownBy(() -> FilePlan.synthetic("f", 1, 0)).hasMessageContaining("piece length");
        assertThatThrownBy(() -> new ByteRange(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRange(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileJob(FilePlan.synthetic("f", 1, 1), List.of(Mirror.of("a"), Mirror.of("a"))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Mirror.of("has space")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Mirror.of("m", Double.NaN)).hasMessageContaining("weight");
        assertThat(new FileJob(FilePlan.synthetic("f", 1, 1), Collections.emptyList()).mirrors()).isEmpty();
    }

    @Test
    void httpRangeHeaderIsInclusive() {
        assertThat(new ByteRange(0, 1).httpRangeHeader()).isEqualTo("bytes=0-0");
        assertThat(new ByteRange(4096, 8192).httpRangeHeader()).isEqualTo("bytes=4096-8191");
        assertThat(new ByteRange(0, 10).contains(new ByteRange(2, 10))).isTrue();
        assertThat(new ByteRange(0, 10).contains(new ByteRange(2, 11))).isFalse();
    }
}
