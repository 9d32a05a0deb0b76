//! `sqlx::migrate!` embeds the migrations when this crate compiles; on stable Rust
//! the macro cannot tell Cargo it read them, so a changed or added migration
//! would leave a stale set in the binary. This does.
fn main() {
    println!("cargo::rerun-if-changed=migrations");
}
