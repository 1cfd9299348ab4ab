package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared scheduler must read no clock, sleep, start no thread and touch no file or socket: checked
 * on the compiled classes by reading every class and method each one refers to from its constant pool.
 */
class PurityTest {
    private static final List<String> FORBIDDEN_CLASSES = List.of(
            "java/lang/Thread", "java/lang/Runtime", "java/lang/ProcessBuilder", "java/util/Timer",
            "java/util/concurrent/", "java/util/Random", "java/time/", "java/net/", "java/nio/file/",
            "java/nio/channels/", "java/io/File", "java/io/RandomAccessFile", "java/io/PrintStream",
            "java/lang/invoke/VarHandle");
    private static final Set<String> FORBIDDEN_METHODS = Set.of(
            "java/lang/System.currentTimeMillis", "java/lang/System.nanoTime", "java/lang/System.getenv",
            "java/lang/System.getProperty", "java/lang/Math.random", "java/lang/Object.wait");

    @Test
    void strategiesReadNoClockStartNoThreadAndDoNoIo() throws IOException {
        Path classes = Path.of(Scheduler.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                scanned++;
                try (InputStream in = Files.newInputStream(p)) {
                    for (String ref : references(in)) {
                        if (forbidden(ref)) {
                            violations.add(classes.relativize(p) + " uses " + ref);
                        }
                    }
                }
            }
        }
        assertThat(scanned).as("classes scanned").isGreaterThan(30);
        assertThat(violations).isEmpty();
    }

    @Test
    void theScanCatchesAClockRead() throws IOException {
        String name = "/" + ReadsTheClock.class.getName().replace('.', '/') + ".class";
        try (InputStream in = PurityTest.class.getResourceAsStream(name)) {
            assertThat(references(in)).anyMatch(PurityTest::forbidden).contains("java/lang/System.nanoTime");
        }
    }

    /** Used only to prove the scan finds what it looks for. */
    static final class ReadsTheClock {
        long now() {
            return System.nanoTime();
        }
    }

    private static boolean forbidden(String ref) {
        if (FORBIDDEN_METHODS.contains(ref)) {
            return true;
        }
        String owner = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
        for (String c : FORBIDDEN_CLASSES) {
            if (c.endsWith("/") ? owner.startsWith(c) : owner.equals(c) || owner.startsWith(c + "$")) {
                return true;
            }
        }
        return false;
    }

    /** Classes ("a/b/C") and methods ("a/b/C.name") a class file refers to, from its constant pool. */
    static Set<String> references(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] memberRef = new int[count][];
        int[] nameAndTypeName = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 9, 10, 11 -> memberRef[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> {
                    nameAndTypeName[i] = in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> out = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                out.add(utf8[classNameIndex[i]]);
            }
            if (memberRef[i] != null) {
                String owner = utf8[classNameIndex[memberRef[i][0]]];
                out.add(owner + "." + utf8[nameAndTypeName[memberRef[i][1]]]);
            }
        }
        return out;
    }
}
