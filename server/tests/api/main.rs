//! Integration tests: each test starts the real server on a random port against its
//! own fresh database (SQLite by default, PostgreSQL with AWN_TEST_DATABASE=postgres)
//! and talks to it over HTTP.

#![recursion_limit = "256"]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a panic in a test is a failed test")]

mod birth_dates;
mod calendar;
mod deadlines;
mod edge;
mod health;
mod helpers;
mod household_edits;
mod households;
mod i18n;
mod limits;
mod lists;
mod markup;
mod my_work;
mod page_cache;
mod pages;
mod party_consents;
mod party_privacy;
mod preferences;
mod privacy;
mod registers;
mod registry;
mod requests;
mod secrets_at_rest;
mod security;
mod server_functions;
mod service_desk;
mod shutdown;
mod sign_in;
mod staff;
mod staff_security;
mod static_files;
mod surveys;
mod uploads;
mod volunteers;
