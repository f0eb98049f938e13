"""Beyond one investor: offerings to investors, deals, joint allocation, similar sites."""
