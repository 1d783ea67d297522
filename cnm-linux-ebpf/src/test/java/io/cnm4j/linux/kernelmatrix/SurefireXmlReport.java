package io.cnm4j.linux.kernelmatrix;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes one {@code TEST-<class>.xml} per test class in the format of Maven's surefire and
 * failsafe reports, so that the results of a run inside the kernel-matrix guest read like those
 * of the host's failsafe run. A class whose set-up fails is reported as one erroneous test case.
 */
final class SurefireXmlReport implements TestExecutionListener {
    /** One finished test case: name, seconds, and the failure kind and throwable when it did not pass. */
    private record Case(String name, double seconds, String kind, Throwable failure, String skipReason) {
    }

    /** Counts over every class of the run. */
    record Totals(int tests, int failures, int errors, int skipped) {
    }

    private final Path directory;
    private final Map<String, List<Case>> casesByClass = new LinkedHashMap<>();
    private final Map<String, Long> startNanos = new LinkedHashMap<>();
    private int tests;
    private int failures;
    private int errors;
    private int skipped;

    SurefireXmlReport(Path directory) {
        this.directory = directory;
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        startNanos.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        String className = className(id);
        if (className != null && id.isTest()) {
            add(className, new Case(caseName(id), 0, "skipped", null, reason));
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String className = className(id);
        Long start = startNanos.remove(id.getUniqueId());
        double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
        if (className == null) {
            return;
        }
        boolean classLevel = id.getSource().orElse(null) instanceof ClassSource;
        if (classLevel && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        if (!id.isTest() && !classLevel) {
            return;
        }
        String name = classLevel ? "class set-up and tear-down" : caseName(id);
        Throwable failure = result.getThrowable().orElse(null);
        String kind = switch (result.getStatus()) {
            case SUCCESSFUL -> null;
            case ABORTED -> "skipped";
            case FAILED -> failure instanceof AssertionError ? "failure" : "error";
        };
        add(className, new Case(name, seconds, kind, failure,
                "skipped".equals(kind) && failure != null ? failure.getMessage() : null));
    }

    private void add(String className, Case c) {
        casesByClass.computeIfAbsent(className, k -> new ArrayList<>()).add(c);
        tests++;
        if ("failure".equals(c.kind())) {
            failures++;
        } else if ("error".equals(c.kind())) {
            errors++;
        } else if ("skipped".equals(c.kind())) {
            skipped++;
        }
    }

    synchronized Totals totals() {
        return new Totals(tests, failures, errors, skipped);
    }

    /** Writes the reports of every class seen. */
    synchronized void write() throws IOException {
        Files.createDirectories(directory);
        for (Map.Entry<String, List<Case>> e : casesByClass.entrySet()) {
            try (OutputStream out = Files.newOutputStream(directory.resolve("TEST-" + e.getKey() + ".xml"))) {
                writeSuite(out, e.getKey(), e.getValue());
            } catch (XMLStreamException ex) {
                throw new IOException("cannot write the report of " + e.getKey(), ex);
            }
        }
    }

    private static void writeSuite(OutputStream out, String className, List<Case> cases) throws XMLStreamException {
        XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        double seconds = cases.stream().mapToDouble(Case::seconds).sum();
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", className);
        xml.writeAttribute("time", format(seconds));
        xml.writeAttribute("tests", Integer.toString(cases.size()));
        xml.writeAttribute("failures", count(cases, "failure"));
        xml.writeAttribute("errors", count(cases, "error"));
        xml.writeAttribute("skipped", count(cases, "skipped"));
        xml.writeStartElement("properties");
        property(xml, "os.version", System.getProperty("os.version", ""));
        property(xml, "java.version", System.getProperty("java.version", ""));
        xml.writeEndElement();
        for (Case c : cases) {
            xml.writeStartElement("testcase");
            xml.writeAttribute("name", c.name());
            xml.writeAttribute("classname", className);
            xml.writeAttribute("time", format(c.seconds()));
            if (c.kind() != null) {
                xml.writeStartElement(c.kind());
                if ("skipped".equals(c.kind())) {
                    xml.writeAttribute("message", printable(String.valueOf(c.skipReason())));
                } else {
                    xml.writeAttribute("message", printable(String.valueOf(c.failure().getMessage())));
                    xml.writeAttribute("type", c.failure().getClass().getName());
                    xml.writeCharacters(printable(stackTrace(c.failure())));
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
        xml.writeEndDocument();
        xml.close();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static String count(List<Case> cases, String kind) {
        return Long.toString(cases.stream().filter(c -> kind.equals(c.kind())).count());
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** XML 1.0 cannot carry most control characters, even escaped. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(
                cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t' ? '?' : cp));
        return out.toString();
    }

    private static String className(TestIdentifier id) {
        TestSource source = id.getSource().orElse(null);
        if (source instanceof MethodSource m) {
            return m.getClassName();
        }
        if (source instanceof ClassSource c) {
            return c.getClassName();
        }
        return null;
    }

    /** The method name, with the display name of a parameterized or repeated invocation after it. */
    private static String caseName(TestIdentifier id) {
        MethodSource m = (MethodSource) id.getSource().orElseThrow();
        String plain = m.getMethodName() + "()";
        return id.getDisplayName().equals(plain) ? m.getMethodName() : m.getMethodName() + "[" + id.getDisplayName() + "]";
    }
}
