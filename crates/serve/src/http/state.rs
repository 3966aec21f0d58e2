//! Shared server state: a pool of read-only store connections, the story view built from the
//! store (rebuilt when the store's generation moves), the token, and the ingest hook.
//!
//! It owns running store work off the async threads (`spawn_blocking`, bounded by a semaphore
//! and a timeout, so a slow query cannot starve the server). It must not render anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crosscheck_model::Extraction;
use crosscheck_store::{Store, StoreError};
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::{Ingestor, ServeError};
use crate::StoryReport;

/// Store work running at once; more waits (up to [`QUEUE_WAIT`]) instead of piling threads.
const BLOCKING_PERMITS: usize = 8;
/// How long a request waits for a free permit before answering 503.
const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// How long one piece of store work may take before the request answers 503.
const WORK_TIMEOUT: Duration = Duration::from_secs(15);
/// Idle read connections kept open.
const POOL_SIZE: usize = 8;

/// Everything a page needs about the story, built once per store generation.
#[derive(Debug)]
pub(crate) struct View {
    pub generation: i64,
    pub report: StoryReport,
    /// The report as JSON: sections this module does not know by type are rendered from here.
    pub json: serde_json::Value,
    pub extractions: Vec<Extraction>,
    by_id: HashMap<String, usize>,
    entity_by_id: HashMap<String, usize>,
}

impl View {
    pub fn extraction(&self, id: &str) -> Option<&Extraction> {
        self.by_id.get(id).and_then(|&i| self.extractions.get(i))
    }

    pub fn entity(&self, id: &str) -> Option<&crosscheck_link::CorpusEntity> {
        self.entity_by_id.get(id).and_then(|&i| self.report.entities.get(i))
    }
}

pub struct AppState {
    data: PathBuf,
    pool: Mutex<Vec<Store>>,
    view: RwLock<Option<Arc<View>>>,
    /// Held while a view is rebuilt, so concurrent requests wait for one build, not start many.
    build: Mutex<()>,
    permits: Arc<Semaphore>,
    pub(crate) token: Option<String>,
    pub(crate) ingestor: Option<Arc<dyn Ingestor>>,
    /// One ingest at a time: the store has one writer.
    pub(crate) writer: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("data", &self.data).finish()
    }
}

impl AppState {
    /// Migrates the store once with a writable open (read-only connections cannot), then
    /// checks it can be read.
    pub fn open(
        data: &Path,
        token: Option<String>,
        ingestor: Option<Arc<dyn Ingestor>>,
    ) -> Result<AppState, ServeError> {
        if !data.join(crosscheck_store::DB_FILE_NAME).is_file() {
            return Err(ServeError::Store(StoreError::NotFound { dir: data.to_path_buf() }));
        }
        drop(Store::open(data)?);
        let first = Store::open_read_only(data)?;
        Ok(AppState {
            data: data.to_path_buf(),
            pool: Mutex::new(vec![first]),
            view: RwLock::new(None),
            build: Mutex::new(()),
            permits: Arc::new(Semaphore::new(BLOCKING_PERMITS)),
            token,
            ingestor,
            writer: tokio::sync::Mutex::new(()),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    fn checkout(&self) -> Result<Store, ApiError> {
        let pooled = self.pool.lock().ok().and_then(|mut pool| pool.pop());
        match pooled {
            Some(store) => Ok(store),
            None => Store::open_read_only(&self.data).map_err(ApiError::from),
        }
    }

    fn checkin(&self, store: Store) {
        if let Ok(mut pool) = self.pool.lock() {
            if pool.len() < POOL_SIZE {
                pool.push(store);
            }
        }
    }

    /// Runs `work` with a read connection on a blocking thread, bounded in number and time.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &Store) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| ApiError::busy("the server is busy; try again"))?
            .map_err(|_| ApiError::internal("the server is shutting down"))?;
        // Checked out here so that a timeout can interrupt the query it runs.
        let store = self.checkout()?;
        let interrupt = store.interrupt_handle();
        let state = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            let result = work(&state, &store);
            state.checkin(store);
            // The permit is held until the work really ends, so abandoned work still counts
            // against the limit and cannot pile up threads.
            drop(permit);
            result
        });
        match tokio::time::timeout(WORK_TIMEOUT, task).await {
            Err(_) => {
                interrupt.interrupt();
                Err(ApiError::busy("the request took too long and was abandoned"))
            }
            Ok(Err(join)) => Err(ApiError::internal(format!("the request failed: {join}"))),
            Ok(Ok(result)) => result,
        }
    }

    /// The story view of the store as it is now.
    pub(crate) async fn view(self: &Arc<Self>) -> Result<Arc<View>, ApiError> {
        self.read(|state, store| state.current_view(store)).await
    }

    pub(crate) fn current_view(&self, store: &Store) -> Result<Arc<View>, ApiError> {
        let generation = store.generation()?;
        if let Some(view) = self.cached(generation) {
            return Ok(view);
        }
        let _building = self.build.lock().map_err(|_| ApiError::internal("view build lock poisoned"))?;
        if let Some(view) = self.cached(generation) {
            return Ok(view);
        }
        // Data and generation come from one snapshot; if a write landed after the first
        // generation read, the view is of the newer state and is cached under its own number.
        let (extractions, groups, links, after) = store.snapshot(|s| {
            let extractions = s.extractions()?;
            let links = crate::stored_links(s, extractions.len())?;
            Ok::<_, crosscheck_store::StoreError>((extractions, s.duplicate_groups()?, links, s.generation()?))
        })?;
        let report = StoryReport::build_with_links(&extractions, &groups, links);
        let json = serde_json::to_value(&report).map_err(|e| ApiError::internal(format!("report: {e}")))?;
        let by_id = extractions.iter().enumerate().map(|(i, x)| (x.id.clone(), i)).collect();
        let entity_by_id = report.entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        let view = Arc::new(View { generation: after, report, json, extractions, by_id, entity_by_id });
        if let Ok(mut slot) = self.view.write() {
            if slot.as_ref().is_none_or(|v| v.generation <= after) {
                *slot = Some(Arc::clone(&view));
            }
        }
        Ok(view)
    }

    fn cached(&self, generation: i64) -> Option<Arc<View>> {
        let slot = self.view.read().ok()?;
        slot.as_ref().filter(|v| v.generation == generation).cloned()
    }
}
