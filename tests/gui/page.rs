//! WebDriver primitives the scenarios are written with: elements by `data-testid`, and
//! waits that poll for a condition until a deadline instead of sleeping a guessed time.
//!
//! The UI re-renders as answers arrive, so an element found a moment ago may be gone:
//! every helper finds its element afresh and retries until the deadline, and a timeout
//! says what was awaited and the last thing that went wrong.

use crate::harness::{App, Res};
use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::Value;
use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long a step may take before the test fails; generous for a loaded 2-core machine.
pub const WAIT: Duration = Duration::from_secs(20);

/// The CSS selector of an element by its `data-testid`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{}\"]", css_string(id))
}

/// The sidebar's entry for a profile.
pub fn profile_item(name: &str) -> String {
    format!("[data-testid=\"profile-item\"][data-name=\"{}\"]", css_string(name))
}

/// A client's row in the list.
pub fn client_row(client_id: &str) -> String {
    format!(
        "[data-testid=\"client-row\"][data-client-id=\"{}\"]",
        css_string(client_id)
    )
}

/// The name shown in a client's row (without the drift marker beside it).
pub fn row_name(client_id: &str) -> String {
    format!("{} .name .label", client_row(client_id))
}

fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Polls `probe` until it yields a value, failing after `timeout` with what was awaited.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Res<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Res<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    let mut last_error = String::new();
    loop {
        match probe().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(e) => last_error = format!(" (last error: {e})"),
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}{last_error}").into());
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

impl App {
    /// The first element matching `css`, if there is one now.
    pub async fn find(&self, css: &str) -> Res<Option<Element>> {
        Ok(self.client().find_all(Locator::Css(css)).await?.into_iter().next())
    }

    /// Every element matching `css` now.
    pub async fn find_all(&self, css: &str) -> Res<Vec<Element>> {
        Ok(self.client().find_all(Locator::Css(css)).await?)
    }

    pub async fn wait_css(&self, what: &str, css: &str) -> Res<Element> {
        eventually(what, WAIT, || async { self.find(css).await }).await
    }

    pub async fn wait_tid(&self, id: &str) -> Res<Element> {
        self.wait_css(&format!("element {id}"), &tid(id)).await
    }

    pub async fn wait_gone(&self, what: &str, css: &str) -> Res {
        eventually(what, WAIT, || async {
            Ok(self.find(css).await?.is_none().then_some(()))
        })
        .await
    }

    /// Clicks the element once it exists and is enabled (retrying while something, such
    /// as a toast, covers it).
    pub async fn click(&self, what: &str, css: &str) -> Res {
        eventually(&format!("{what} to be clickable"), WAIT, || async {
            let Some(element) = self.find(css).await? else {
                return Ok(None);
            };
            if !element.is_enabled().await? {
                return Ok(None);
            }
            element.click().await?;
            Ok(Some(()))
        })
        .await
    }

    pub async fn click_tid(&self, id: &str) -> Res {
        self.click(id, &tid(id)).await
    }

    /// Replaces the text of an input or textarea as typing would, and checks it took.
    pub async fn fill(&self, css: &str, text: &str) -> Res {
        self.click(&format!("the field {css}"), css).await?;
        let element = self.wait_css(css, css).await?;
        // Ctrl+A, release the modifier, Backspace: fires the input events a framework
        // listens to, which WebDriver's "clear" does not promise.
        element.send_keys("\u{E009}a\u{E000}\u{E003}").await?;
        element.send_keys(text).await?;
        let want = text.to_string();
        eventually(&format!("{css} to hold {text:?}"), WAIT, || {
            let want = want.clone();
            async move { Ok((self.value(css).await? == want).then_some(())) }
        })
        .await
    }

    pub async fn fill_tid(&self, id: &str, text: &str) -> Res {
        self.fill(&tid(id), text).await
    }

    /// The `value` of an input, select or textarea.
    pub async fn value(&self, css: &str) -> Res<String> {
        let element = self.wait_css(css, css).await?;
        Ok(element.prop("value").await?.unwrap_or_default())
    }

    /// Picks an option of a `<select>` by its value.
    pub async fn select(&self, css: &str, value: &str) -> Res {
        let element = self.wait_css(css, css).await?;
        element.select_by_value(value).await?;
        let want = value.to_string();
        eventually(&format!("{css} to have {value} selected"), WAIT, || {
            let want = want.clone();
            async move { Ok((self.value(css).await? == want).then_some(())) }
        })
        .await
    }

    /// The text of the first element matching `css` (waiting for it to be shown).
    pub async fn text(&self, css: &str) -> Res<String> {
        eventually(&format!("{css} to be shown"), WAIT, || async {
            Ok(self.shown_texts(css).await?.into_iter().next())
        })
        .await
    }

    pub async fn text_tid(&self, id: &str) -> Res<String> {
        self.text(&tid(id)).await
    }

    /// The texts of every shown element matching `css`, now.
    pub async fn texts(&self, css: &str) -> Res<Vec<String>> {
        self.shown_texts(css).await
    }

    /// Waits until the text of the first element matching `css` satisfies `ok`; returns it.
    pub async fn wait_text(&self, what: &str, css: &str, ok: impl Fn(&str) -> bool) -> Res<String> {
        let seen = RefCell::new(String::from("(no element shown)"));
        let result = eventually(what, WAIT, || async {
            let Some(text) = self.shown_texts(css).await?.into_iter().next() else {
                return Ok(None);
            };
            let done = ok(&text);
            *seen.borrow_mut() = text.clone();
            Ok(done.then_some(text))
        })
        .await;
        result.map_err(|e| format!("{e}; the text was {:?}", seen.borrow()).into())
    }

    /// The rendered text (`innerText`) of each element matching `css` that takes room on
    /// the page. Read by script, not with WebDriver's element text: WebKitWebDriver calls
    /// any element with `overflow: hidden` and `text-overflow: ellipsis` (the list's cells,
    /// the sidebar's URLs) not displayed and gives its text as empty, though it is on screen.
    async fn shown_texts(&self, css: &str) -> Res<Vec<String>> {
        let script = "return [...document.querySelectorAll(arguments[0])].filter(e => { \
                        const r = e.getBoundingClientRect(); \
                        return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; \
                      }).map(e => e.innerText)";
        let texts = self.js(script, vec![Value::from(css)]).await?;
        Ok(serde_json::from_value(texts)?)
    }

    pub async fn is_enabled(&self, css: &str) -> Res<bool> {
        Ok(self.wait_css(css, css).await?.is_enabled().await?)
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        Ok(self.client().execute(script, args).await?)
    }
}
