package io.cnm4j.examples.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The fleet service map as a Kafka Streams topology over the connection topic that every host's
 * {@link io.cnm4j.examples.kafka.KafkaFlowExporter} writes:
 * <ol>
 *   <li>each {@code conn} line is re-keyed by its tuple after NAT, the same from both ends;</li>
 *   <li>per tuple and window, both ends are joined into one {@link ConnectionPair} (the
 *       {@value #PAIRS_STORE} window store), so a connection reported by both hosts counts once;</li>
 *   <li>the pairs are regrouped by (source service, destination service) into {@value #SERVICES_STORE}
 *       and by (source zone, destination zone) into {@value #ZONES_STORE}: {@link Totals} per
 *       {@link MapEdge}, kept up to date as later reports of a pair arrive (old contribution out,
 *       new one in).</li>
 * </ol>
 * The stores are in memory (rebuilt from their changelog topics on restart) and queryable through
 * interactive queries; {@link #edges} reads one. Windows are tumbling, on the records' timestamps
 * (the exporter stamps each record with its snapshot's time).
 */
public final class FleetServiceMap {
    /** Window store of joined connection ends, by tuple. */
    public static final String PAIRS_STORE = "fleet-connection-pairs";
    /** Totals by (window, source service, destination service). */
    public static final String SERVICES_STORE = "fleet-service-map";
    /** Totals by (window, source zone, destination zone). */
    public static final String ZONES_STORE = "fleet-zone-map";

    static final Serde<ConnectionEnd> END_SERDE = TextSerde.of(ConnectionPair::encodeEnd, ConnectionPair::decodeEnd);
    static final Serde<ConnectionPair> PAIR_SERDE = TextSerde.of(ConnectionPair::encode, ConnectionPair::decode);
    static final Serde<MapEdge> EDGE_SERDE = TextSerde.of(MapEdge::encode, MapEdge::decode);
    static final Serde<Totals> TOTALS_SERDE = TextSerde.of(Totals::encode, Totals::decode);

    private FleetServiceMap() {
    }

    /**
     * The topology reading {@code connectionTopic}, with tumbling windows of {@code window} that
     * accept records up to {@code grace} late.
     */
    public static Topology topology(String connectionTopic, Duration window, Duration grace) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<Windowed<String>, ConnectionPair> pairs = builder
                .stream(connectionTopic, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> ConnectionEnd.parse(line).stream().toList())
                .selectKey((hostAndFlow, end) -> end.tuple())
                .groupByKey(Grouped.with("by-tuple", Serdes.String(), END_SERDE))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                // A null initial pair, not an empty one: Streams forwards the initial value as the
                // window's "old" value, and only a null one has no contribution to take back downstream.
                .aggregate(() -> null, (tuple, end, pair) -> (pair == null ? ConnectionPair.EMPTY : pair).with(end),
                        Materialized.<String, ConnectionPair>as(Stores.inMemoryWindowStore(PAIRS_STORE,
                                        window.plus(grace), window, false))
                                .withKeySerde(Serdes.String()).withValueSerde(PAIR_SERDE));
        regroup(pairs, "by-service", SERVICES_STORE, p -> p.sourceService(), p -> p.destinationService());
        regroup(pairs, "by-zone", ZONES_STORE, p -> p.sourceZone(), p -> p.destinationZone());
        return builder.build();
    }

    private static void regroup(KTable<Windowed<String>, ConnectionPair> pairs, String name, String store,
            Function<ConnectionPair, String> from, Function<ConnectionPair, String> to) {
        pairs.groupBy((tuple, pair) -> KeyValue.pair(
                                new MapEdge(tuple.window().start(), from.apply(pair), to.apply(pair)), pair.totals()),
                        Grouped.with(name, EDGE_SERDE, TOTALS_SERDE))
                .aggregate(() -> Totals.ZERO, (edge, totals, sum) -> sum.plus(totals),
                        (edge, totals, sum) -> sum.minus(totals),
                        Materialized.<MapEdge, Totals>as(Stores.inMemoryKeyValueStore(store))
                                .withKeySerde(EDGE_SERDE).withValueSerde(TOTALS_SERDE));
    }

    /**
     * The edges of a map store with their totals, sorted, without edges whose connections all
     * moved elsewhere (a pair first seen from one end, then joined by the other).
     */
    public static Map<MapEdge, Totals> edges(ReadOnlyKeyValueStore<MapEdge, Totals> store) {
        Map<MapEdge, Totals> edges = new TreeMap<>();
        try (KeyValueIterator<MapEdge, Totals> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value != null && entry.value.connections() > 0) {
                    edges.put(entry.key, entry.value);
                }
            });
        }
        return edges;
    }

    /** One line per edge: {@code WINDOW FROM -> TO bytes=… connections=… failures=… retransmits=…}. */
    public static List<String> lines(Map<MapEdge, Totals> edges) {
        List<String> lines = new ArrayList<>(edges.size());
        edges.forEach((edge, t) -> lines.add(edge + " bytes=" + t.bytes() + " connections=" + t.connections()
                + " failures=" + t.failures() + " retransmits=" + t.retransmits()));
        return lines;
    }
}
