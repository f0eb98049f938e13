"""The pipe: profile -> candidates -> pair features -> feasibility -> score -> ranking -> explanation."""
