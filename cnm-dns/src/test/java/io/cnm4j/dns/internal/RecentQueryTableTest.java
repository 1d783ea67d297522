package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentQueryTableTest {
    private static final long WINDOW = 2_000;

    @Test
    void aQueryFromAnotherClientAddressOrPortIsACopyAndTheFirstRecordStays() {
        // given
        RecentQueryTable table = new RecentQueryTable(16, WINDOW);
        boolean first = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40000, 0);

        // when
        boolean otherAddress = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 21, 40000, 100);
        boolean otherPort = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40001, 200);
        boolean sameClient = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40000, 300);

        // then
        assertThat(first).isFalse();
        assertThat(otherAddress).isTrue();
        assertThat(otherPort).isTrue();
        assertThat(sameClient).isFalse();
    }

    @Test
    void everyKeyPartKeepsQueriesApart() {
        // given
        RecentQueryTable table = new RecentQueryTable(64, WINDOW);
        table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40000, 0);

        // when / then: another server (either half), tag or name is another query
        assertThat(table.isCopyFromAnotherClient(9, 2, 3, "a.example", 10, 21, 40000, 1)).isFalse();
        assertThat(table.isCopyFromAnotherClient(1, 9, 3, "a.example", 10, 21, 40000, 1)).isFalse();
        assertThat(table.isCopyFromAnotherClient(1, 2, 9, "a.example", 10, 21, 40000, 1)).isFalse();
        assertThat(table.isCopyFromAnotherClient(1, 2, 3, "b.example", 10, 21, 40000, 1)).isFalse();
        assertThat(table.liveEvictions()).isZero();
    }

    @Test
    void aCopyAfterTheWindowStartsANewRecord() {
        // given
        RecentQueryTable table = new RecentQueryTable(16, WINDOW);
        table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40000, 0);

        // when
        boolean atTheEdge = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 21, 40000, WINDOW);
        boolean late = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 22, 40000, WINDOW + 1);
        boolean copyOfTheLateOne = table.isCopyFromAnotherClient(1, 2, 3, "a.example", 10, 20, 40000, WINDOW + 2);

        // then
        assertThat(atTheEdge).isTrue();
        assertThat(late).isFalse();
        assertThat(copyOfTheLateOne).isTrue();
    }

    @Test
    void aFullBucketForgetsItsOldestQueryAndCountsItOnlyInsideTheWindow() {
        // given: four slots, one bucket, filled with four queries
        RecentQueryTable table = new RecentQueryTable(1, WINDOW);
        for (int query = 0; query < RecentQueryTable.WAYS; query++) {
            table.isCopyFromAnotherClient(1, 2, query, "a.example", 10, 20, 40000, query);
        }

        // when: a fifth query evicts the oldest (tag 0); a sixth evicts tag 2 just after its window
        table.isCopyFromAnotherClient(1, 2, 4, "a.example", 10, 20, 40000, 10);
        boolean forgotten = table.isCopyFromAnotherClient(1, 2, 0, "a.example", 10, 21, 40000, 11);
        long evictionsInsideTheWindow = table.liveEvictions();
        table.isCopyFromAnotherClient(1, 2, 5, "a.example", 10, 20, 40000, 2 + WINDOW + 1);

        // then: the re-recorded tag 0 pushed out tag 1, still inside the window
        assertThat(table.slots()).isEqualTo(RecentQueryTable.WAYS);
        assertThat(forgotten).isFalse();
        assertThat(evictionsInsideTheWindow).isEqualTo(2);
        assertThat(table.liveEvictions()).isEqualTo(2);
        assertThat(table.isCopyFromAnotherClient(1, 2, 4, "a.example", 10, 21, 40000, 10 + WINDOW)).isTrue();
    }

    @Test
    void slotsAreRoundedUpToAPowerOfTwo() {
        assertThat(new RecentQueryTable(10_000, WINDOW).slots()).isEqualTo(16_384);
        assertThat(new RecentQueryTable(4_096, WINDOW).slots()).isEqualTo(4_096);
        assertThat(new RecentQueryTable(5, WINDOW).slots()).isEqualTo(8);
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new RecentQueryTable(0, WINDOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots must be in 1..16777216: 0");
        assertThatThrownBy(() -> new RecentQueryTable(8, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be positive: 0 ns");
    }
}
