//! The model exactly as MODEL.md words it: week by week, stage by stage, with
//! binomial draws for who leaves and who moves on. Its cost does not grow with
//! lead volume either (binomials are drawn in constant time), but it makes
//! two draws per stage per week; the thinned method is used where it applies.

use crate::dist::{binomial, poisson};
use crate::outcome::TrialOut;
use crate::rng::TrialRng;
use crate::scenario::{Noise, month_of_week};
use crate::sim::Simulation;
use crate::timing::{expected_leads, leave_chance};

pub fn run(sim: &Simulation, multiplier: f64, out: &mut TrialOut, rng: &mut TrialRng) {
    let scenario = &sim.scenario;
    let stages = scenario.stages.len();
    let leave: Vec<f64> = scenario
        .stages
        .iter()
        .map(|s| leave_chance(s.days))
        .collect();
    let same_week: Vec<bool> = scenario.stages.iter().map(|s| s.days == 0.0).collect();
    let capacity: Vec<Option<u64>> = scenario
        .stages
        .iter()
        .map(|s| s.capacity_per_week)
        .collect();
    let mut held: Vec<u64> = scenario.stages.iter().map(|s| s.open).collect();
    for (entered, s) in out.entered.iter_mut().zip(&scenario.stages) {
        *entered = s.open;
    }
    let mut arriving = vec![0u64; stages];
    let mut expected_so_far = 0.0;
    for (week, base) in expected_leads(scenario).into_iter().enumerate() {
        let lambda = multiplier * base;
        let leads = match scenario.leads.noise {
            Noise::Poisson => poisson(lambda, rng),
            Noise::Fixed => {
                let before = libm::round(expected_so_far);
                expected_so_far += lambda;
                (libm::round(expected_so_far) - before).max(0.0) as u64
            }
        };
        out.leads += leads;
        arriving.fill(0);
        arriving[0] = leads;
        for s in 0..stages {
            out.entered[s] += arriving[s];
            let can_leave = held[s] + if same_week[s] { arriving[s] } else { 0 };
            let ready = binomial(can_leave, leave[s], rng);
            let leaving = match capacity[s] {
                Some(cap) if ready >= cap => {
                    out.full_weeks[s] += 1;
                    out.waiting[s] = ready - cap;
                    cap
                }
                _ => {
                    out.waiting[s] = 0;
                    ready
                }
            };
            let forward = binomial(leaving, out.rates[s], rng);
            held[s] = held[s] + arriving[s] - leaving;
            out.advanced[s] += forward;
            out.lost[s] += leaving - forward;
            if s + 1 < stages {
                arriving[s + 1] += forward;
            } else {
                out.month_won[month_of_week(week)] += forward;
            }
        }
    }
    out.open_end.copy_from_slice(&held);
}
