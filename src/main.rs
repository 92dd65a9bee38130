//! Trunk's entry point: mount the book.

#[cfg(target_arch = "wasm32")]
fn main() {
    concurrency_book::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The book runs in a browser: use `cargo xtask serve`.");
}
