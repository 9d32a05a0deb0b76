//! The script that makes a server-rendered page interactive: it loads the WASM
//! bundle once the page has been painted, with the files of the page's group
//! (`routes`) alongside.
//!
//! Instead of Leptos's `HydrationScripts`, for two reasons (issue 16):
//! - its `<link rel="preload">` tags start the bundle's downloads while the page's
//!   HTML is still being read, so on a weak connection they share the bandwidth with
//!   the stylesheet the first paint waits for;
//! - it read the build's hash file from disk on every page; the names here are read
//!   once, at start ([`PageAssets`]).

use std::{collections::HashMap, sync::Arc};

use leptos::prelude::*;

/// The bundle's file names (without extensions), as the server found them at start.
#[derive(Clone, Debug, Default)]
pub struct PageAssets {
    /// The folder of the bundle, e.g. `/pkg`.
    pub pkg: Arc<str>,
    /// The main JS file, e.g. `awn.<hash>`.
    pub js: Arc<str>,
    /// The main WASM file, e.g. `awn.<hash>`.
    pub wasm: Arc<str>,
    /// The WASM files each page group needs (`signed_in_pages` → `chunk_4.<hash>`,
    /// `split_signed_in_pages_….<hash>`, …), from the build's split manifest.
    pub groups: Arc<HashMap<String, Vec<String>>>,
}

/// Waits until the page's first content is on the screen (the browser's
/// `first-contentful-paint`; where paint timing is missing, the next frame), then
/// asks for the main WASM file and those the page's group named
/// (`<meta name="awn-preload">`, see [`preload_group`]) in parallel, and hydrates.
/// The preload links match the requests the bundle makes later (`fetch`, same
/// origin), so each file is downloaded once.
const LOADER: &str = r#"((js, wasm, pkg) => {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const wanted = document.querySelector('meta[name="awn-preload"]');
    const files = wanted ? wanted.content.split(" ").filter(Boolean).map((file) => `${pkg}/${file}.wasm`) : [];
    for (const href of [wasm, ...files]) {
      const link = document.createElement("link");
      Object.assign(link, { rel: "preload", as: "fetch", type: "application/wasm", crossOrigin: "anonymous", href });
      document.head.append(link);
    }
    import(js).then((bundle) => bundle.default({ module_or_path: wasm }).then(() => bundle.hydrate()));
  };
  if ((window.PerformanceObserver?.supportedEntryTypes || []).includes("paint")) {
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        start();
      }
    }).observe({ type: "paint", buffered: true });
  } else {
    requestAnimationFrame(() => setTimeout(start, 0));
  }
})"#;

/// The loader script, with the response's nonce (the page's content policy).
#[component]
pub fn PageScripts(assets: PageAssets) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    // Rendered raw inside <script>: the names are the build's own (letters,
    // digits, `-`, `_`, `.`), checked when read; Debug quotes them for JS.
    let PageAssets { pkg, js, wasm, .. } = assets;
    let call = format!("{LOADER}({:?}, {:?}, {pkg:?});", format!("{pkg}/{js}.js"), format!("{pkg}/{wasm}.wasm"));
    view! { <script type="module" nonce=nonce>{call}</script> }
}

/// Names the files of `group` for the page being rendered (called by the page's
/// lazy route on the server), in a `<meta>` the loader reads.
pub fn preload_group(group: &str) {
    let Some(assets) = use_context::<PageAssets>() else { return };
    let Some(files) = assets.groups.get(group) else { return };
    // Rendering a leptos_meta tag registers it with the head, not the body.
    let _ = view! { <leptos_meta::Meta name="awn-preload" content=files.join(" ")/> }.to_html();
}
