package dev.sextant.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CreditWindowTest {

  @Test
  void neverMoreInFlightThanGranted() {
    CreditWindow window = new CreditWindow();
    assertThat(window.hasRoom()).isFalse();
    window.grant(2);
    window.take();
    window.take();
    assertThat(window.hasRoom()).isFalse();
    assertThatThrownBy(window::take).isInstanceOf(IllegalStateException.class);
    window.release();
    assertThat(window.available()).isEqualTo(1);
    window.grant(1);
    assertThat(window.available()).isEqualTo(2);
  }

  @Test
  void resetTakesEveryCreditBack() {
    CreditWindow window = new CreditWindow();
    window.grant(5);
    window.take();
    window.reset();
    assertThat(window.granted()).isZero();
    assertThat(window.inFlight()).isZero();
    assertThat(window.hasRoom()).isFalse();
  }

  @Test
  void hugeGrantsSaturate() {
    CreditWindow window = new CreditWindow();
    window.grant(-1); // uint32 max on the wire
    window.grant(-1);
    assertThat(window.granted()).isEqualTo(Integer.MAX_VALUE);
  }
}
