package org.mirrorswarm.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard error is an interactive terminal, where a progress bar makes sense. */
final class Terminal {
    private Terminal() {
    }

    static boolean interactive() {
        Console c = System.console();
        if (c == null || "dumb".equals(System.getenv("TERM")) || System.getenv("CI") != null) {
            return false;
        }
        try {
            // From Java 22 System.console() is non-null even when redirected; isTerminal() tells.
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
