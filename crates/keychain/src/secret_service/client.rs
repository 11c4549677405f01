//! The Secret Service calls Registrar makes, on one D-Bus connection with one encrypted
//! session (`dh-ietf1024-sha256-aes128-cbc-pkcs7`): secrets never cross the session bus in
//! clear text, where a bus monitor would log them.

use super::cipher::SessionKey;
use super::dh::KeyPair;
use super::error::{describe, map_error};
use super::hints::ByItem;
use super::prompt;
use crate::KeychainError;
use dbus::arg::{PropMap, RefArg, Variant};
use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
use dbus::blocking::{Connection, Proxy};
use dbus::Path;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

pub(super) const SERVICE: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_INTERFACE: &str = "org.freedesktop.Secret.Service";
const COLLECTION_INTERFACE: &str = "org.freedesktop.Secret.Collection";
const ITEM_INTERFACE: &str = "org.freedesktop.Secret.Item";
const ALGORITHM: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
/// For each method call (not for the person answering a prompt): D-Bus's usual default.
const CALL_TIMEOUT: Duration = Duration::from_secs(25);

/// A Secret as the API carries it: session, parameters (the IV), value (the ciphertext),
/// content type.
type WireSecret = (Path<'static>, Vec<u8>, Vec<u8>, String);

pub(super) type Attributes<'a> = HashMap<&'a str, &'a str>;

fn gone() -> KeychainError {
    KeychainError::Unavailable("the connection to the Secret Service closed".into())
}

/// What a search finds: `(unlocked, locked)` items.
pub(super) type Found = (Vec<Path<'static>>, Vec<Path<'static>>);

/// What [`Client::search_many`] brings back in its one round trip.
pub(super) struct Batch {
    /// Each search's items, in the queries' order.
    pub(super) found: Vec<Found>,
    /// The collection the `default` alias names, where the service says.
    pub(super) alias: Option<Path<'static>>,
    /// The secrets asked for with the searches, by item.
    pub(super) prefetched: Option<ByItem>,
}

pub(super) struct Client {
    conn: Connection,
    session: Path<'static>,
    key: SessionKey,
    prompt_seconds: u64,
    /// The default collection and when it was last seen unlocked (see
    /// [`Client::unlocked_default`]).
    unlocked_default: RefCell<Option<(Path<'static>, Instant)>>,
}

/// How long a default collection seen unlocked is taken to still be: a command's few calls
/// ask once instead of twice per call (the alias and its lock state), while a keyring
/// someone locks is noticed within this time (and any call it refuses forgets it at once).
const UNLOCKED_FOR: Duration = Duration::from_secs(2);

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretService connection")
    }
}

impl Client {
    /// Connects to the session bus and opens the encrypted session. Any failure here means
    /// there is no usable Secret Service (as when the bus or the daemon is missing).
    pub(super) fn connect(prompt_seconds: u64) -> Result<Self, KeychainError> {
        Self::open(Self::bus()?, prompt_seconds)
    }

    /// The session bus connection alone: a few round trips to the bus daemon, no Secret
    /// Service yet.
    pub(super) fn bus() -> Result<Connection, KeychainError> {
        Connection::new_session().map_err(|e| KeychainError::Unavailable(describe(&e)))
    }

    /// Opens the encrypted session on `conn`: one call, in which the Secret Service's
    /// daemon does its half of the key agreement (a few milliseconds on gnome-keyring).
    pub(super) fn open(conn: Connection, prompt_seconds: u64) -> Result<Self, KeychainError> {
        let unavailable = |e: dbus::Error| KeychainError::Unavailable(describe(&e));
        let keys = KeyPair::generate();
        let (output, session): (Variant<Vec<u8>>, Path<'static>) = conn
            .with_proxy(SERVICE, SERVICE_PATH, CALL_TIMEOUT)
            .method_call(
                SERVICE_INTERFACE,
                "OpenSession",
                (ALGORITHM, Variant(keys.public_key())),
            )
            .map_err(unavailable)?;
        let key = keys
            .session_key(&output.0)
            .ok_or_else(|| KeychainError::Unavailable("the Secret Service sent an unusable session key".into()))?;
        Ok(Self {
            conn,
            session,
            key,
            prompt_seconds,
            unlocked_default: RefCell::new(None),
        })
    }

    fn proxy<'a>(&'a self, path: &Path<'a>) -> Proxy<'a, &'a Connection> {
        self.conn.with_proxy(SERVICE, path.clone(), CALL_TIMEOUT)
    }

    fn service(&self) -> Proxy<'_, &Connection> {
        self.conn.with_proxy(SERVICE, SERVICE_PATH, CALL_TIMEOUT)
    }

    fn prompt(&self, path: Path<'static>) -> Result<(), KeychainError> {
        prompt::complete(&self.conn, path, self.prompt_seconds, CALL_TIMEOUT)
    }

    /// The items with exactly these attributes: `(unlocked, locked)`.
    pub(super) fn search_items(&self, attributes: &Attributes<'_>) -> Result<Found, KeychainError> {
        self.service()
            .method_call(SERVICE_INTERFACE, "SearchItems", (attributes,))
            .map_err(map_error)
    }

    /// Several searches sent at once and answered together, with the `default` alias read
    /// in the same batch: one round trip to the daemon for all of it (D-Bus replies carry
    /// the serial of the call they answer), where one [`Client::search_items`] each would
    /// wait for every answer in turn. The alias is `None` where the service has none.
    /// With `prefetch`, the secrets of those items are asked for last in the same batch
    /// (`None` when the service refused: an item gone, or locked); the daemon answers in
    /// order, so they are the secrets of the items as the searches saw them.
    pub(super) fn search_many(
        &self,
        queries: &[Attributes<'_>],
        prefetch: &[Path<'static>],
    ) -> Result<Batch, KeychainError> {
        let call = |method: &str| {
            dbus::Message::new_method_call(SERVICE, SERVICE_PATH, SERVICE_INTERFACE, method)
                .map_err(KeychainError::Refused)
        };
        let mut calls = Vec::with_capacity(queries.len() + 1);
        for query in queries {
            calls.push(call("SearchItems")?.append1(query));
        }
        calls.push(call("ReadAlias")?.append1("default"));
        if !prefetch.is_empty() {
            calls.push(call("GetSecrets")?.append2(prefetch.to_vec(), self.session.clone()));
        }
        let mut replies = self.pipelined(calls)?;
        let prefetched = match prefetch.is_empty() {
            true => None,
            false => {
                let mut answer = replies.pop().ok_or_else(gone)?;
                answer
                    .as_result()
                    .ok()
                    .and_then(|reply| reply.read1::<HashMap<Path<'static>, WireSecret>>().ok())
                    .map(|secrets| self.decrypt_all(secrets))
                    .transpose()?
            }
        };
        // Only a help: a service that cannot say leaves the lock state to be asked.
        let mut alias = replies.pop().ok_or_else(gone)?;
        let alias = alias
            .as_result()
            .ok()
            .and_then(|reply| reply.read1::<Path<'static>>().ok())
            .filter(|path| &**path != "/");
        let found = replies
            .iter_mut()
            .map(|reply| {
                reply
                    .as_result()
                    .map_err(map_error)?
                    .read2::<Vec<Path<'static>>, Vec<Path<'static>>>()
                    .map_err(|e| KeychainError::Refused(format!("an unexpected answer to a search: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(Batch {
            found,
            alias,
            prefetched,
        })
    }

    /// Sends every call before awaiting any answer; the answers (or the errors the service
    /// answered with) in the calls' order.
    fn pipelined(&self, calls: Vec<dbus::Message>) -> Result<Vec<dbus::Message>, KeychainError> {
        let channel = self.conn.channel();
        let mut serials = Vec::with_capacity(calls.len());
        for call in calls {
            serials.push(channel.send(call).map_err(|()| gone())?);
        }
        channel.flush();
        let deadline = Instant::now() + CALL_TIMEOUT;
        let mut replies: HashMap<u32, dbus::Message> = HashMap::new();
        while replies.len() < serials.len() {
            match channel.pop_message() {
                // Nothing else is expected now (no prompt is open); anything else is dropped.
                Some(message) => {
                    if let Some(serial) = message.get_reply_serial().filter(|s| serials.contains(s)) {
                        replies.insert(serial, message);
                    }
                }
                None => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(KeychainError::Unavailable(
                            "the Secret Service did not answer in time".into(),
                        ));
                    }
                    channel.read_write(Some(left)).map_err(|()| gone())?;
                }
            }
        }
        serials
            .iter()
            .map(|serial| replies.remove(serial).ok_or_else(gone))
            .collect()
    }

    /// Notes that the default collection is unlocked now, as an item just read from it shows
    /// (a collection's items are readable only while it is unlocked).
    pub(super) fn seen_unlocked(&self, collection: Path<'static>) {
        *self.unlocked_default.borrow_mut() = Some((collection, Instant::now()));
    }

    /// Unlocks items or collections, in one call, through the desktop's prompt if it asks.
    pub(super) fn unlock(&self, objects: &[Path<'static>]) -> Result<(), KeychainError> {
        let (_unlocked, prompt): (Vec<Path<'static>>, Path<'static>) = self
            .service()
            .method_call(SERVICE_INTERFACE, "Unlock", (objects.to_vec(),))
            .map_err(map_error)?;
        self.prompt(prompt)
    }

    /// The collection the `default` alias names (the login keyring on GNOME).
    pub(super) fn default_collection(&self) -> Result<Path<'static>, KeychainError> {
        let (collection,): (Path<'static>,) = self
            .service()
            .method_call(SERVICE_INTERFACE, "ReadAlias", ("default",))
            .map_err(map_error)?;
        if &*collection == "/" {
            return Err(KeychainError::Refused(
                "the Secret Service has no default collection".into(),
            ));
        }
        Ok(collection)
    }

    pub(super) fn is_locked(&self, collection: &Path<'static>) -> Result<bool, KeychainError> {
        self.proxy(collection)
            .get(COLLECTION_INTERFACE, "Locked")
            .map_err(map_error)
    }

    /// The default collection, unlocked (through the desktop's prompt if it was locked), and
    /// whether it had to be unlocked; taken from the last answer when that is recent
    /// ([`UNLOCKED_FOR`]).
    pub(super) fn unlocked_default(&self) -> Result<(Path<'static>, bool), KeychainError> {
        if let Some((collection, seen)) = self.unlocked_default.borrow().as_ref() {
            if seen.elapsed() < UNLOCKED_FOR {
                return Ok((collection.clone(), false));
            }
        }
        let collection = self.default_collection()?;
        let was_locked = self.is_locked(&collection)?;
        if was_locked {
            self.unlock(std::slice::from_ref(&collection))?;
        }
        *self.unlocked_default.borrow_mut() = Some((collection.clone(), Instant::now()));
        Ok((collection, was_locked))
    }

    /// Forgets that the default collection was seen unlocked (a call was refused as locked).
    pub(super) fn forget_unlocked(&self) {
        self.unlocked_default.borrow_mut().take();
    }

    /// The item's secret, decrypted.
    pub(super) fn get_secret(&self, item: &Path<'static>) -> Result<Zeroizing<Vec<u8>>, KeychainError> {
        let ((_session, iv, ciphertext, _content_type),): (WireSecret,) = self
            .proxy(item)
            .method_call(ITEM_INTERFACE, "GetSecret", (self.session.clone(),))
            .map_err(map_error)?;
        self.decrypt(&iv, &ciphertext)
    }

    /// Several items' secrets, decrypted, in one call (`GetSecrets`).
    pub(super) fn get_secrets(&self, items: &[Path<'static>]) -> Result<Vec<Zeroizing<Vec<u8>>>, KeychainError> {
        Ok(self.get_secrets_by_item(items)?.into_values().collect())
    }

    /// As [`Client::get_secrets`], each by its item (an item the daemon no longer has is
    /// missing from the answer).
    pub(super) fn get_secrets_by_item(&self, items: &[Path<'static>]) -> Result<ByItem, KeychainError> {
        if items.is_empty() {
            return Ok(HashMap::new());
        }
        let (secrets,): (HashMap<Path<'static>, WireSecret>,) = self
            .service()
            .method_call(SERVICE_INTERFACE, "GetSecrets", (items.to_vec(), self.session.clone()))
            .map_err(map_error)?;
        self.decrypt_all(secrets)
    }

    fn decrypt_all(&self, secrets: HashMap<Path<'static>, WireSecret>) -> Result<ByItem, KeychainError> {
        secrets
            .into_iter()
            .map(|(item, (_session, iv, ciphertext, _content_type))| Ok((item, self.decrypt(&iv, &ciphertext)?)))
            .collect()
    }

    fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeychainError> {
        self.key
            .decrypt(iv, ciphertext)
            .ok_or_else(|| KeychainError::Refused("the Secret Service sent a secret that does not decrypt".into()))
    }

    /// Stores an item in `collection`, replacing the one with the same attributes; its path.
    pub(super) fn create_item(
        &self,
        collection: &Path<'static>,
        label: &str,
        attributes: &Attributes<'_>,
        secret: &[u8],
        content_type: &str,
    ) -> Result<Path<'static>, KeychainError> {
        let (item, prompt): (Path<'static>, Path<'static>) = self
            .proxy(collection)
            .method_call(
                COLLECTION_INTERFACE,
                "CreateItem",
                (
                    item_properties(label, attributes),
                    self.wire(secret, content_type),
                    true,
                ),
            )
            .map_err(map_error)?;
        self.prompt(prompt)?;
        Ok(item)
    }

    /// Searches for `search` and creates an item in `collection` (replacing the one of the
    /// same attributes there, in place), in one round trip: the daemon answers in order, so
    /// the search shows the items there were before. The items found, and the new item's
    /// path ("/" when a prompt created it).
    pub(super) fn search_then_create(
        &self,
        search: &Attributes<'_>,
        collection: &Path<'static>,
        label: &str,
        attributes: &Attributes<'_>,
        secret: &[u8],
        content_type: &str,
    ) -> Result<(Found, Path<'static>), KeychainError> {
        let searching = dbus::Message::new_method_call(SERVICE, SERVICE_PATH, SERVICE_INTERFACE, "SearchItems")
            .map_err(KeychainError::Refused)?
            .append1(search);
        let creating = dbus::Message::new_method_call(SERVICE, collection.clone(), COLLECTION_INTERFACE, "CreateItem")
            .map_err(KeychainError::Refused)?
            .append3(
                item_properties(label, attributes),
                self.wire(secret, content_type),
                true,
            );
        let mut replies = self.pipelined(vec![searching, creating])?;
        let mut created = replies.pop().ok_or_else(gone)?;
        let mut found = replies.pop().ok_or_else(gone)?;
        let (item, prompt): (Path<'static>, Path<'static>) = created
            .as_result()
            .map_err(map_error)?
            .read2()
            .map_err(|e| KeychainError::Refused(format!("an unexpected answer to a new item: {e}")))?;
        self.prompt(prompt)?;
        let found: Found = found
            .as_result()
            .map_err(map_error)?
            .read2()
            .map_err(|e| KeychainError::Refused(format!("an unexpected answer to a search: {e}")))?;
        Ok((found, item))
    }

    /// `secret` encrypted for the session, as the API transfers it.
    fn wire(&self, secret: &[u8], content_type: &str) -> WireSecret {
        let (iv, ciphertext) = self.key.encrypt(secret);
        (self.session.clone(), iv, ciphertext, content_type.to_string())
    }

    pub(super) fn delete(&self, item: &Path<'static>) -> Result<(), KeychainError> {
        let (prompt,): (Path<'static>,) = self
            .proxy(item)
            .method_call(ITEM_INTERFACE, "Delete", ())
            .map_err(map_error)?;
        self.prompt(prompt)
    }
}

/// A new item's label and attributes, as `CreateItem` takes them.
fn item_properties(label: &str, attributes: &Attributes<'_>) -> PropMap {
    let attributes: HashMap<String, String> = attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    HashMap::from([
        (
            "org.freedesktop.Secret.Item.Label".to_string(),
            Variant(Box::new(label.to_string()) as Box<dyn RefArg>),
        ),
        (
            "org.freedesktop.Secret.Item.Attributes".to_string(),
            Variant(Box::new(attributes) as Box<dyn RefArg>),
        ),
    ])
}
