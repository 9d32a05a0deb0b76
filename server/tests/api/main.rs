//! Integration tests: each test starts the real server on a random port against its
//! own fresh database (SQLite by default, PostgreSQL with AWN_TEST_DATABASE=postgres)
//! and talks to it over HTTP.

#![recursion_limit = "256"]

mod edge;
mod health;
mod helpers;
mod i18n;
mod markup;
mod lists;
mod limits;
mod pages;
mod preferences;
mod privacy;
mod security;
mod server_functions;
mod service_desk;
mod shutdown;
mod sign_in;
mod staff;
mod staff_security;
mod surveys;
mod requests;
mod secrets_at_rest;
mod uploads;
