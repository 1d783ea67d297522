package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyedHashTest {
    private static final long COOKIE = 4242;
    private static final long PREFIX_WORD = FormerUdpFlowId.littleEndianWord(
            new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0}, 0);
    /** The attacker's own /64: 2001:db8:0:66::/64. */
    private static final long ATTACKER_PREFIX_WORD = FormerUdpFlowId.littleEndianWord(
            new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0x66}, 0);

    @Test
    void isSipHash24OfTheReferenceVector() {
        // key 00..0f, message 00..1f (32 bytes): output of the reference implementation
        // (also openssl mac -macopt hexkey:000102030405060708090a0b0c0d0e0f -macopt size:8 SIPHASH)
        KeyedHash ids = new KeyedHash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L);

        long hash = ids.hash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L, 0x1716151413121110L,
                0x1F1E1D1C1B1A1918L);

        assertThat(hash).isEqualTo(0x7127512F72F27CCEL);
    }

    @Test
    void peersChosenToShareAFormerIdGetDifferentIds() {
        // given: a victim peer, and an interface id in the attacker's own /64 chosen to hit the
        // victim's former id
        long victimWord1 = 0x0100000000000000L;
        long victimFormerId = FormerUdpFlowId.of(COOKIE, PREFIX_WORD, victimWord1, 53);
        long attackerWord1 = FormerUdpFlowId.peerWord1For(victimFormerId, COOKIE, ATTACKER_PREFIX_WORD, 53);
        assertThat(FormerUdpFlowId.of(COOKIE, ATTACKER_PREFIX_WORD, attackerWord1, 53)).isEqualTo(victimFormerId);

        // when
        long victim = KeyedHash.PROCESS.flowId(COOKIE, PREFIX_WORD, victimWord1, 53);
        long attacker = KeyedHash.PROCESS.flowId(COOKIE, ATTACKER_PREFIX_WORD, attackerWord1, 53);

        // then
        assertThat(attacker).isNotEqualTo(victim);
        assertThat(KeyedHash.PROCESS.flowId(COOKIE, PREFIX_WORD, victimWord1, 53)).isEqualTo(victim);
    }

    @Test
    void anotherKeyGivesAnotherId() {
        long underOneKey = new KeyedHash(1, 2).flowId(COOKIE, PREFIX_WORD, 7, 53);
        long underAnother = new KeyedHash(1, 3).flowId(COOKIE, PREFIX_WORD, 7, 53);

        assertThat(underAnother).isNotEqualTo(underOneKey);
    }

    @Test
    void portReadAsASignedShortCountsAsUnsigned() {
        KeyedHash ids = new KeyedHash(5, 6);

        assertThat(ids.flowId(COOKIE, PREFIX_WORD, 7, (short) 53000)).isEqualTo(ids.flowId(COOKIE, PREFIX_WORD, 7, 53000));
    }
}
