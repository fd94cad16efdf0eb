//! The target's milestones in plain words: table rows and chart marks.

use funnel_engine::Summary;
use funnel_engine::summary::TargetSummary;

use crate::charts::MilestoneMark;
use crate::format::{money, percent};
use crate::words::headline::chance_error;

/// One row of the milestone table.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneRow {
    pub month: String,
    pub revenue: String,
    pub chance: String,
    pub error: String,
}

pub fn milestone_rows(summary: &Summary) -> Vec<MilestoneRow> {
    summary
        .milestones
        .iter()
        .map(|m| {
            let t = TargetSummary {
                revenue: m.revenue,
                probability: m.probability,
                probability_se: m.probability_se,
            };
            MilestoneRow {
                month: format!("End of month {}", m.month),
                revenue: money(m.revenue, &summary.currency),
                chance: percent(m.probability, 1),
                error: chance_error(&t),
            }
        })
        .collect()
}

/// The milestones as the pipeline chart marks them.
pub fn milestone_marks(summary: &Summary) -> Vec<MilestoneMark> {
    summary
        .milestones
        .iter()
        .map(|m| MilestoneMark {
            month: m.month as usize,
            revenue: m.revenue,
            probability: m.probability,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::{reference, summary};

    #[test]
    fn milestones_rows_and_marks() {
        let mut s = reference();
        s.target.as_mut().unwrap().milestones = vec![
            funnel_engine::scenario::Milestone {
                month: 3,
                revenue: 500_000.0,
            },
            funnel_engine::scenario::Milestone {
                month: 6,
                revenue: 1_800_000.0,
            },
        ];
        let sum = summary(&s, 400);
        let rows = milestone_rows(&sum);
        assert_eq!(rows[0].month, "End of month 3");
        assert_eq!(rows[0].revenue, "$500,000");
        assert!(rows[1].chance.ends_with('%'));
        let marks = milestone_marks(&sum);
        assert_eq!(marks.len(), 2);
        assert_eq!((marks[1].month, marks[1].revenue), (6, 1_800_000.0));
        assert_eq!(marks[0].probability, sum.milestones[0].probability);
    }
}
