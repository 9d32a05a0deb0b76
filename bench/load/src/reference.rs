//! `awn-reference`: the floor of server-side rendering with Leptos on this machine.
//! A minimal Leptos 0.8 app, served by leptos_axum as Awn is (the same router, the
//! same `SsrMode::Async`, the same document shell with hydration scripts), whose
//! one page is the markup of Awn's home page, static: no database, no translations,
//! no middleware. `bench/run` loads both with the same wrk settings and prints them
//! side by side.
//!
//! ```text
//! awn-reference 127.0.0.1:3201
//! ```

mod reference_markup;

use axum::Router;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_router::{
    SsrMode,
    components::{Route, Router as LeptosRouter, Routes},
    path,
};
use reference_markup::HomeMarkup;

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ar" dir="rtl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0f5c4d"/>
                <link rel="icon" href="/logo.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="/pkg/awn.css"/>
                <HydrationScripts options/>
                <title>"خدمات المستفيدين | عون"</title>
                <meta name="description" content="عون: خدمات المستفيدين"/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <LeptosRouter>
            <Routes fallback=|| "not found">
                <Route path=path!("") view=HomeMarkup ssr=SsrMode::Async/>
            </Routes>
        </LeptosRouter>
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3201".into());
    let site_addr: std::net::SocketAddr = address.parse().unwrap_or(([127, 0, 0, 1], 3201).into());
    let options = LeptosOptions::builder().output_name("awn").site_addr(site_addr).build();
    let routes = generate_route_list(App);
    let app = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("awn-reference: {address}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match axum::serve(listener, app).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("awn-reference: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
