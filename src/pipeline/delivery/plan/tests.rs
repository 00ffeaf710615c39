//! The delivery schedule under paused tokio time: per-event retries, the
//! down receiver's probes, and the backlog released when it answers.

use super::*;

const MAX: Duration = Duration::from_secs(7200);

fn keys(n: u8) -> Vec<Vec<u8>> {
    (0..n).map(|i| vec![i]).collect()
}

fn fail(plan: &mut Plan, key: &[u8], attempts: u32) {
    plan.failed(key, attempts, None, MAX, Instant::now());
}

#[test]
fn events_wait_on_the_standard_webhooks_schedule_within_the_cap() {
    let waits: Vec<u64> = (1..=8).map(|n| event_wait(n, MAX).as_secs()).collect();
    assert_eq!(waits, [5, 300, 1800, 7200, 7200, 7200, 7200, 7200]);
    assert_eq!(
        event_wait(2, Duration::from_secs(60)),
        Duration::from_secs(60)
    );
}

#[tokio::test(start_paused = true)]
async fn one_failing_event_does_not_hold_up_the_others() {
    let mut plan = Plan::default();
    let pending = keys(3);
    assert_eq!(
        plan.next(&pending, Instant::now()),
        Step::Send(pending.clone())
    );
    fail(&mut plan, &pending[0], 1);
    plan.answered(&pending[1]);
    let pending = vec![pending[0].clone(), pending[2].clone()];
    let later = vec![pending[1].clone()];
    assert_eq!(plan.next(&pending, Instant::now()), Step::Send(later));
    plan.answered(&pending[1]);
    let left = vec![pending[0].clone()];
    let Step::Wait(Some(at)) = plan.next(&left, Instant::now()) else {
        panic!("the failed event should wait for its retry");
    };
    tokio::time::sleep_until(at).await;
    assert_eq!(plan.next(&left, Instant::now()), Step::Send(left.clone()));
    assert!(!plan.down());
}

#[tokio::test(start_paused = true)]
async fn a_down_receiver_is_probed_within_the_cap_and_then_gets_the_backlog() {
    let mut plan = Plan::default();
    let pending = keys(10);
    for (i, key) in pending.iter().take(DOWN_AFTER as usize).enumerate() {
        assert!(!plan.holding(Instant::now()), "held after {i} failures");
        fail(&mut plan, key, 1);
    }
    assert!(plan.down() && plan.holding(Instant::now()));
    // Hours of outage: every probe comes within the cap of the last one.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(4 * 3600) {
        let at = match plan.next(&pending, Instant::now()) {
            Step::Wait(Some(at)) => at,
            step => panic!("a down receiver should wait for its probe, got {step:?}"),
        };
        assert!(at - Instant::now() <= PROBE_CAP);
        tokio::time::sleep_until(at).await;
        let Step::Send(probe) = plan.next(&pending, Instant::now()) else {
            panic!("the probe is due");
        };
        assert_eq!(probe.len(), 1, "a down receiver gets one event at a time");
        let attempts = 1 + (started.elapsed().as_secs() / 300) as u32;
        fail(&mut plan, &probe[0], attempts);
    }
    let Step::Wait(Some(at)) = plan.next(&pending, Instant::now()) else {
        panic!("waiting for the probe");
    };
    tokio::time::sleep_until(at).await;
    let Step::Send(probe) = plan.next(&pending, Instant::now()) else {
        panic!("the probe is due");
    };
    plan.answered(&probe[0]);
    let rest: Vec<Vec<u8>> = pending
        .iter()
        .filter(|k| **k != probe[0])
        .cloned()
        .collect();
    assert_eq!(plan.next(&rest, Instant::now()), Step::Send(rest.clone()));
}

#[tokio::test(start_paused = true)]
async fn a_probe_takes_a_new_event_before_those_already_failing() {
    let mut plan = Plan::default();
    let mut pending = keys(3);
    for key in &pending {
        fail(&mut plan, key, 1);
    }
    pending.push(vec![9]);
    tokio::time::sleep(PROBE_CAP).await;
    assert_eq!(
        plan.next(&pending, Instant::now()),
        Step::Send(vec![vec![9]])
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_pauses_the_whole_sink() {
    let mut plan = Plan::default();
    let pending = keys(2);
    let asked = Duration::from_secs(120);
    plan.failed(&pending[0], 1, Some(asked), MAX, Instant::now());
    assert!(plan.holding(Instant::now()));
    assert_eq!(
        plan.next(&pending, Instant::now()),
        Step::Wait(Some(Instant::now() + asked))
    );
    tokio::time::sleep(asked).await;
    assert_eq!(
        plan.next(&pending, Instant::now()),
        Step::Send(pending.clone())
    );
}

#[tokio::test(start_paused = true)]
async fn nothing_pending_waits_for_a_new_event() {
    let mut plan = Plan::default();
    fail(&mut plan, &[1], 1);
    assert_eq!(plan.next(&[], Instant::now()), Step::Wait(None));
}

#[tokio::test(start_paused = true)]
async fn one_request_at_a_time_until_the_receiver_answers() {
    let mut plan = Plan::default();
    assert_eq!(plan.in_flight(4), 1, "at a start");
    plan.answered(&[0]);
    assert_eq!(plan.in_flight(4), 4);
    fail(&mut plan, &[1], 1);
    assert_eq!(plan.in_flight(4), 1, "after a failure");
}
