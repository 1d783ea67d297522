package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void lineBreaksAndControlsBecomeVisibleEscapes() {
        assertThat(LogText.escape("a.test\r\n[main] INFO forged\u001b[2J\u0085\u2028end"))
                .isEqualTo("a.test\\x0d\\x0a[main] INFO forged\\x1b[2J\\x85\\u2028end");
    }

    @Test
    void plainTextIsReturnedAsIs() {
        String plain = "www.example.com 192.0.2.1:443 ünïcode";

        assertThat(LogText.escape(plain)).isSameAs(plain);
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
