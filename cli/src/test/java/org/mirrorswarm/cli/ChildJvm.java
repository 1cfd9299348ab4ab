package org.mirrorswarm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code mirrorswarm ARGS} in a child JVM on this test's class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java JVM-OPTIONS -cp CLASSPATH org.mirrorswarm.cli.Main ARGS}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
