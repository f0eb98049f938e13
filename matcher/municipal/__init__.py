"""The municipalities' tools: what-ifs, advice, sensitivity, the data to-do list, even-handedness."""
