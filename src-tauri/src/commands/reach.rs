//! Whether each profile's provider answered its last request (the sidebar's online/offline
//! marks). The core reads it from the HTTP history; the app adds what only it knows: a
//! local mock it has stopped answers nothing, and one running answers, whatever its last
//! request found.

use super::{off_the_window, CommandResult};
use crate::local_mock;
use crate::state::AppState;
use registrar_core::{ProfileId, ProfileReach, Reach};
use registrar_mock_op::Dialect;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn profile_reach(state: State<'_, AppState>) -> CommandResult<Vec<ProfileReach>> {
    state.local_mock_settled().await;
    let running: Vec<Dialect> = state.mocks.lock().await.keys().copied().collect();
    let (reach, profiles) = off_the_window(&state, |r| Ok((r.profile_reach()?, r.profiles()?))).await?;
    let ids: Vec<ProfileId> = profiles.into_iter().map(|p| p.id).collect();
    Ok(with_local_mocks(reach, &ids, &running, unix_now()))
}

/// `reach` with what the app knows of its local mocks: one stopped answers nothing
/// (offline), one running answers (online, though its last request, sent before it was
/// started again, may have found nothing listening).
fn with_local_mocks(
    mut reach: Vec<ProfileReach>,
    profiles: &[ProfileId],
    running: &[Dialect],
    now: i64,
) -> Vec<ProfileReach> {
    for dialect in Dialect::ALL {
        let id = local_mock::profile_id(dialect);
        if !profiles.contains(&id) {
            continue;
        }
        let known = reach.iter().position(|r| r.profile_id == id);
        let seen = if running.contains(&dialect) {
            if known.is_some_and(|i| reach[i].reach == Reach::Online) {
                continue;
            }
            ProfileReach {
                profile_id: id,
                reach: Reach::Online,
                at: now,
                detail: format!("the local {} mock is running", dialect.name()),
            }
        } else {
            ProfileReach {
                profile_id: id,
                reach: Reach::Offline,
                at: now,
                detail: format!(
                    "the local {} mock is stopped: start it under Local mock providers",
                    dialect.name()
                ),
            }
        };
        match known {
            Some(i) => reach[i] = seen,
            None => reach.push(seen),
        }
    }
    reach
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_mocks_profile_is_offline_and_a_running_ones_is_as_last_seen() {
        let generic = local_mock::profile_id(Dialect::Generic);
        let liberty = local_mock::profile_id(Dialect::Liberty);
        let users = ProfileId::from("user-profile".to_string());
        let seen = |id: &ProfileId| ProfileReach {
            profile_id: id.clone(),
            reach: Reach::Online,
            at: 10,
            detail: "HTTP 200".into(),
        };
        let reach = vec![seen(&generic), seen(&liberty), seen(&users)];
        let out = with_local_mocks(
            reach,
            &[generic.clone(), liberty.clone(), users.clone()],
            &[Dialect::Generic],
            99,
        );
        let of = |id: &ProfileId| out.iter().find(|r| &r.profile_id == id).cloned().expect("listed");
        assert_eq!(
            of(&generic),
            seen(&generic),
            "a running mock keeps what its last request said"
        );
        assert_eq!(of(&users), seen(&users));
        let stopped = of(&liberty);
        assert_eq!((stopped.reach, stopped.at), (Reach::Offline, 99));
        assert!(stopped.detail.contains("liberty mock is stopped"), "{}", stopped.detail);
        assert_eq!(out.len(), 3, "a dialect without a profile adds nothing");
    }

    #[test]
    fn a_running_mock_is_online_whatever_its_last_request_found() {
        let generic = local_mock::profile_id(Dialect::Generic);
        let failed = ProfileReach {
            profile_id: generic.clone(),
            reach: Reach::Offline,
            at: 1,
            detail: "nothing is listening".into(),
        };
        let out = with_local_mocks(vec![failed], std::slice::from_ref(&generic), &[Dialect::Generic], 7);
        assert_eq!((out[0].reach, out[0].at), (Reach::Online, 7));
        assert!(out[0].detail.contains("generic mock is running"), "{}", out[0].detail);
    }

    #[test]
    fn a_stopped_mock_never_used_is_offline_too() {
        let wso2 = local_mock::profile_id(Dialect::Wso2);
        let out = with_local_mocks(Vec::new(), std::slice::from_ref(&wso2), &[], 5);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].profile_id.clone(), out[0].reach), (wso2, Reach::Offline));
    }
}
