"""Production planning: machine capacity and load, the finite-capacity scheduler behind the
production plan, progress against the plan, and the key-customer monthly portfolio.

- calendar: working days and the minutes a machine has on a day (pure)
- capacity: capacity and planned load per machine and day/week (reads)
- scheduler: finite-capacity list scheduling in day buckets (pure)
- candidates: the order lines a plan proposal schedules, as scheduler jobs (reads)
- progress: daily-report summaries, defect rates, plan attainment (reads)
"""
