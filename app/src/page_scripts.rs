//! The script that makes a server-rendered page interactive.
//!
//! Awn's pages are Leptos islands (issue 16): the server renders the whole page,
//! its forms and links work as plain HTML, and only the few parts that do more
//! than a form can (an `#[island]`, rendered as `<leptos-island>`) are taken over
//! by the WASM bundle. A page without an island downloads no WASM at all; one
//! with islands asks for the bundle once the page has been painted.
//!
//! Instead of Leptos's `HydrationScripts`, for two reasons:
//! - its `<link rel="preload">` tags start the bundle's downloads while the page's
//!   HTML is still being read, so on a weak connection they share the bandwidth with
//!   the stylesheet the first paint waits for, and it loads the bundle on every page;
//! - it read the build's hash file from disk on every page; the names here are read
//!   once, at start ([`PageAssets`]).

use std::sync::Arc;

use leptos::prelude::*;

/// The bundle's file names (without extensions), as the server found them at start.
#[derive(Clone, Debug, Default)]
pub struct PageAssets {
    /// The folder of the bundle, e.g. `/pkg`.
    pub pkg: Arc<str>,
    /// The JS file, e.g. `awn.<hash>`.
    pub js: Arc<str>,
    /// The WASM file, e.g. `awn.<hash>`.
    pub wasm: Arc<str>,
}

/// Once the document is read: a page without islands is interactive as it is
/// (`data-hydrated` says so at once). Otherwise, once the page's first content is
/// on the screen (the browser's `first-contentful-paint`; where paint timing is
/// missing, the next frame), the bundle is loaded and each island hydrated, outer
/// before inner, as Leptos's own island script does; then `data-hydrated`.
const LOADER: &str = r#"((js, wasm) => {
  const done = () => document.body.setAttribute("data-hydrated", "true");
  const hydrateAll = async (bundle) => {
    bundle.hydrate();
    for (const island of document.querySelectorAll("leptos-island")) {
      const hydrate = bundle[island.dataset.component];
      if (hydrate) await hydrate(island);
    }
    done();
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    import(js).then((bundle) => bundle.default({ module_or_path: wasm }).then(() => hydrateAll(bundle)));
  };
  const ready = () => {
    if (!document.querySelector("leptos-island")) return done();
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
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})"#;

/// The loader script, with the response's nonce (the page's content policy).
#[component]
pub fn PageScripts(assets: PageAssets) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    // Rendered raw inside <script>: the names are the build's own (letters,
    // digits, `-`, `_`, `.`), checked when read; Debug quotes them for JS.
    let PageAssets { pkg, js, wasm } = assets;
    let call = format!("{LOADER}({:?}, {:?});", format!("{pkg}/{js}.js"), format!("{pkg}/{wasm}.wasm"));
    view! { <script type="module" nonce=nonce>{call}</script> }
}
