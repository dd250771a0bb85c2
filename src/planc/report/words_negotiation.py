"""The report's words for negotiation, actions and scenarios (English, Chinese); joined into `i18n.WORDS`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "negotiation": ("Negotiation", "目标协商"),
    "negotiation_sub": ("assigned targets against their owners' counter-proposals",
                        "下达目标与负责人反提案的对比"),
    "col_assigned": ("Assigned", "下达目标"),
    "col_proposed": ("Proposed", "负责人提议"),
    "col_gap": ("Gap", "差距"),
    "negotiation_total": ("Total of the targets with a proposal", "有提议目标合计"),
    "actions": ("Actions", "行动计划"),
    "actions_sub": ("agreed with each target's owner", "与各目标负责人约定的行动"),
    "col_action": ("Action", "行动"),
    "no_actions": ("No actions are recorded.", "未记录行动。"),
    "action_open": ("open", "进行中"),
    "action_done": ("done", "已完成"),
    "action_dropped": ("dropped", "已放弃"),
    "expect": ("expected", "预期"),
    "expect_missed": ("missed", "未达预期"),
    "scenarios": ("Scenarios", "情景"),
    "ramping": ("New hires ramping up", "新人爬坡"),
    "ramping_sub": ("a share in proportion to the capacity they can carry over the period",
                    "按期间内可承担的产能比例分配"),
    "col_start": ("Start", "入职日期"),
    "col_capacity": ("Capacity", "产能"),
    "scenario_base": ("base", "基准"),
}
