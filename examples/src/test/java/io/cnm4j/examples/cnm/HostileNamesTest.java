package io.cnm4j.examples.cnm;

import static io.cnm4j.examples.cnm.Snapshots.connection;
import static io.cnm4j.examples.cnm.Snapshots.dns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.Telemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Names chosen by an unprivileged local user reach every sink of the {@code cnm} tool: a DNS name
 * with an OSC title sequence (anyone can make the host look one up) and a process named with a
 * clear-screen sequence ({@code prctl(PR_SET_NAME)} needs no privilege).
 */
class HostileNamesTest {
    private static final String OSC_DOMAIN = "\u001b]0;pwn\u0007evil.test";
    private static final String CLEAR_SCREEN_PROCESS = "\u001b[2J";
    private static final String C1_AND_BIDI = "x\u009b31m\u202eevil";
    private static final int PID = 4242;

    private static FlowSnapshot hostileSnapshot() {
        List<ConnectionStats> connections = List.of(
                connection(Protocol.TCP, PID, Direction.OUTGOING, 40000, "10.9.9.9", 443,
                        new Counters(100, 200, 1, 1, 0, 0, 0), 0, Map.of(), List.of(OSC_DOMAIN), Map.of()),
                connection(Protocol.TCP, PID, Direction.OUTGOING, 40001, "10.9.9.10", 443,
                        new Counters(50, 60, 1, 1, 0, 0, 0), 0, Map.of(), List.of(C1_AND_BIDI), Map.of()));
        return new FlowSnapshot(Snapshots.T0, "replay", connections,
                List.of(dns("10.0.0.53", OSC_DOMAIN, 0, 100)), Telemetry.empty());
    }

    private static ProcessNames hostileNames() {
        return pid -> pid == PID ? CLEAR_SCREEN_PROCESS : "";
    }

    @Test
    void topFrameHoldsNoControlCharacterButItsLineEnds() {
        // when
        String frame = new TopView(hostileNames(), ZoneOffset.UTC).render(hostileSnapshot(), 100, 24);

        // then
        assertThat(frame.chars().filter(c -> c != '\n' && Character.getType(c) == Character.CONTROL)).isEmpty();
        assertThat(frame.chars().filter(c -> Character.getType(c) == Character.FORMAT)).isEmpty();
        String[] lines = frame.split("\n", -1);
        assertThat(lines[2]).startsWith("\\x1b[2J         4242 out \\x1b]0;pwn\\x07evil.test:443");
        assertThat(lines[3]).startsWith("\\x1b[2J         4242 out x\\x9b31m\\u202eevil:443");
        assertThat(lines[6]).startsWith("    \\x1b]0;pwn\\x07evil.test ");
    }

    @Test
    void watchTextLineShowsTheNameEscaped() {
        String line = TextLines.connection(hostileSnapshot().connections().getFirst());

        assertThat(line).endsWith(" dns=\\x1b]0;pwn\\x07evil.test");
    }

    @Test
    void jsonLineParsesBackToTheExactName() {
        // when
        StringWriter out = new StringWriter();
        try (FlowJsonWriter writer = FlowJsonWriter.to(out)) {
            writer.writeSnapshot(hostileSnapshot());
        }

        // then
        String text = out.toString();
        assertThat(text.chars().filter(c -> c != '\n' && Character.getType(c) == Character.CONTROL)).isEmpty();
        List<Map<String, Object>> lines = JsonLines.parse(text);
        assertThat(lines).filteredOn(l -> "conn".equals(l.get("type"))).extracting(l -> l.get("dns_names"))
                .containsExactly(List.of(OSC_DOMAIN), List.of(C1_AND_BIDI));
        assertThat(lines).filteredOn(l -> "dns".equals(l.get("type"))).extracting(l -> l.get("domain"))
                .containsExactly(OSC_DOMAIN);
    }

    @Test
    void mermaidAndDotShowTheNamesEscaped() {
        DependencyMap map = new DependencyMap(hostileNames());
        map.add(hostileSnapshot());

        String mermaid = MapFormat.MERMAID.render(map.edges());
        String dot = MapFormat.DOT.render(map.edges());

        assertThat(mermaid).contains("[\"\\x1b[2J\"]", "(\"\\x1b]0;pwn\\x07evil.test\")");
        assertThat(dot).contains("[label=\"\\\\x1b[2J\", shape=box]", "[label=\"\\\\x1b]0;pwn\\\\x07evil.test\"");
        assertThat((mermaid + dot).chars().filter(c -> c != '\n' && Character.getType(c) == Character.CONTROL))
                .isEmpty();
    }

    @Test
    void svgIsWellFormedXmlAndNamesTheNodesEscaped() throws Exception {
        GraphvizDot dot = GraphvizDot.onPath(System.getenv("PATH")).orElse(null);
        if (dot == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Graphviz's dot must be on the PATH in CI (apt-get install graphviz)");
            }
            Assumptions.abort("Graphviz's dot is not on the PATH (apt-get install graphviz)");
        }
        DependencyMap map = new DependencyMap(hostileNames());
        map.add(hostileSnapshot());

        byte[] svg = dot.draw(MapFormat.SVG.render(map.edges()), "svg");

        Document document = parseXml(svg);
        String text = document.getDocumentElement().getTextContent();
        assertThat(text).contains("\\x1b[2J", "\\x1b]0;pwn\\x07evil.test", "x\\x9b31m\\u202eevil");
    }

    private static Document parseXml(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The SVG's DOCTYPE names an external DTD; never fetch it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        try {
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (IOException | org.xml.sax.SAXException e) {
            return fail("not well-formed XML: " + e.getMessage() + "\n" + new String(xml, StandardCharsets.UTF_8));
        }
    }
}
