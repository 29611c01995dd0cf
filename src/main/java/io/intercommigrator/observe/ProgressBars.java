package io.intercommigrator.observe;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import io.intercommigrator.core.MigratorExit;

/**
 * The live progress bar of a {@code --once} run on an interactive terminal: one bar per file (me.tongfei:progressbar)
 * with records done/total, records/s, elapsed and ETA, plus dead letters and calls/min as extra text. The bar is drawn
 * on standard output; a log line (standard error) or any other output wipes it first and draws it again below, so the
 * two never share a line. When a file is done its bar stays on screen as the file's last line.
 *
 * <p>Off (writes nothing at all) in a pipe, a log file, a dumb terminal, service mode or with
 * {@code migration.progress-bar=off}: there the plain progress lines of {@link ProgressReporter} are all there is.
 */
public final class ProgressBars implements AutoCloseable {
    static final char ESC = '\u001b';
    private static final String CLEAR_TO_END = ESC + "[0m" + ESC + "[K";
    private static final String ERASE_LINE = "\r" + ESC + "[2K";

    private final boolean interactive;
    private final PrintStream terminal;
    private final Integer fixedWidth;
    private final ProgressBarStyle style;
    private final String separator;

    /** Guards the screen: what the bar last showed and whether other output is being written over it. */
    private final Object screen = new Object();
    private String shown;
    private boolean suspended;

    /** Guards the bar's lifecycle. Never held while waiting for {@link #screen}'s owner, never taken under it. */
    private final Object lifecycle = new Object();
    private ProgressBar bar;
    private Line line;

    private PrintStream originalOut;
    private PrintStream originalErr;

    private ProgressBars(boolean interactive, PrintStream terminal, Integer fixedWidth, boolean unicode) {
        this.interactive = interactive;
        this.terminal = terminal;
        this.fixedWidth = fixedWidth;
        this.style = unicode ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII;
        this.separator = unicode ? " · " : ", ";
    }

    /** No bar: every method does nothing. */
    public static ProgressBars off() {
        return new ProgressBars(false, null, null, false);
    }

    /** A bar drawn on {@code terminal}, {@code width} columns wide, whatever the process is attached to (tests). */
    public static ProgressBars forced(PrintStream terminal, int width, boolean unicode) {
        return new ProgressBars(true, terminal, width, unicode);
    }

    /**
     * {@code migration.progress-bar}: {@code auto} draws a bar when standard input and output are an interactive
     * terminal (not a pipe, not a file, not TERM=dumb); {@code off} never does.
     */
    public static ProgressBars detect(String setting) {
        String value = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "off":
                return off();
            case "auto":
                break;
            default:
                throw MigratorExit.badConfiguration("migration.progress-bar must be auto or off, not '" + setting + "'");
        }
        Console console = System.console();
        if (!attachedToTerminal(console)) {
            return off();
        }
        Charset charset = console.charset();
        return new ProgressBars(true, System.out, null, charset.newEncoder().canEncode("│█▏▎▍▌▋▊▉·"));
    }

    private static boolean attachedToTerminal(Console console) {
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        if (Runtime.version().feature() >= 22) {
            // from Java 22 System.console() may answer for a redirected stream too; Console.isTerminal() tells
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
        return true; // Java 17-21: a console exists only when standard input and output are a terminal
    }

    public boolean interactive() {
        return interactive;
    }

    /**
     * Routes {@code System.out} and {@code System.err} (the console log appender follows {@code System.err}) through
     * the bar, which steps aside for every line written. Undone by {@link #close()}.
     */
    public void install() {
        if (!interactive || originalOut != null) {
            return;
        }
        originalOut = System.out;
        originalErr = System.err;
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        System.setOut(new PrintStream(new StepAside(originalOut), true, charset));
        System.setErr(new PrintStream(new StepAside(originalErr), true, charset));
    }

    /** A new bar for {@code task}; {@code total} null when the number of records is not known up front. */
    public void start(String task, Long total) {
        if (!interactive) {
            return;
        }
        synchronized (lifecycle) {
            finishLocked();
            DecimalFormat speed = new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total == null ? -1 : total)
                    .setStyle(style)
                    .setUnit(" records", 1)
                    .showSpeed(speed)
                    .setUpdateIntervalMillis(200)
                    .continuousUpdate()
                    .setConsumer(line = new Line(fixedWidth != null ? fixedWidth : terminalWidth()))
                    .build();
        }
    }

    /** Where the current bar stands; {@code extras} follow the speed (dead letters, calls/min). */
    public void update(long done, String... extras) {
        if (!interactive) {
            return;
        }
        synchronized (lifecycle) {
            if (bar != null) {
                bar.setExtraMessage(extras.length == 0 ? "" : separator + String.join(separator, extras));
                bar.stepTo(done);
            }
        }
    }

    /** The current bar is drawn one last time and stays on screen; output continues below it. */
    public void finish() {
        if (!interactive) {
            return;
        }
        synchronized (lifecycle) {
            finishLocked();
        }
    }

    private void finishLocked() {
        if (bar != null) {
            if (bar.getMax() > 0 && bar.getCurrent() > bar.getMax()) {
                bar.maxHint(bar.getCurrent()); // a quoted multi-line field made the line count an estimate
            }
            bar.close(); // draws the final state on the library's render thread and waits for it
            line.close(); // the library skips this when the bar closes before its first scheduled drawing
            bar = null;
            line = null;
        }
    }

    /** Finishes the bar and gives System.out / System.err back. */
    @Override
    public void close() {
        finish();
        if (originalOut != null) {
            synchronized (screen) {
                System.setOut(originalOut);
                System.setErr(originalErr);
                originalOut = null;
                originalErr = null;
            }
        }
    }

    /** The terminal's width in columns, 80 when it cannot be told. jline's exec provider asks stty; no signal handlers. */
    private static int terminalWidth() {
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build()) {
            int width = t.getWidth();
            return width >= 20 ? width : 80;
        } catch (IOException | RuntimeException e) {
            return 80;
        }
    }

    private void draw(String rendered) {
        terminal.print("\r" + rendered + CLEAR_TO_END);
        terminal.flush();
    }

    /** The library renders the bar; this draws it on the terminal's current line, unless other output has it. */
    private final class Line implements ProgressBarConsumer {
        private final int width;

        Line(int width) {
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width - 1; // a full-width line would wrap on some terminals and '\r' would no longer reach its start
        }

        @Override
        public void accept(String rendered) {
            synchronized (screen) {
                shown = rendered;
                if (!suspended) {
                    draw(rendered);
                }
            }
        }

        @Override
        public void clear() {
            synchronized (screen) {
                if (shown != null && !suspended) {
                    terminal.print(ERASE_LINE);
                    terminal.flush();
                }
                shown = null;
            }
        }

        @Override
        public void close() {
            synchronized (screen) {
                if (shown != null && !suspended) {
                    terminal.println();
                    terminal.flush();
                }
                shown = null;
            }
        }
    }

    /** Output that is not the bar: the bar is wiped before it and drawn again once the line is complete. */
    private final class StepAside extends OutputStream {
        private final OutputStream target;

        StepAside(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len <= 0) {
                return;
            }
            synchronized (screen) {
                if (shown != null && !suspended) {
                    terminal.print(ERASE_LINE);
                    terminal.flush();
                }
                suspended = true;
                target.write(b, off, len);
                target.flush();
                if (b[off + len - 1] == '\n') {
                    suspended = false;
                    if (shown != null) {
                        draw(shown);
                    }
                }
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
