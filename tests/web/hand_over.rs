//! Pool work handed over from the main thread in bursts: none of it is lost.

use super::*;
use book_pool::job::run_piece_in_pool;

#[wasm_bindgen_test]
async fn pieces_handed_over_in_bursts_all_come_back() {
    // Bursts with pauses between them let the workers fall asleep and be
    // woken again, again and again: a wake-up lost on the way would leave
    // a piece, and this test, waiting.
    for burst in 0..40u32 {
        let pieces = (0..50u32).map(|i| run_piece_in_pool(move || burst * 1000 + i));
        let answers = futures::future::join_all(pieces).await;
        for (i, answer) in (0..50u32).zip(answers) {
            assert_eq!(answer, Ok(burst * 1000 + i), "burst {burst}, piece {i}");
        }
        sleep(Duration::from_millis(u64::from(burst % 4))).await;
    }
}
