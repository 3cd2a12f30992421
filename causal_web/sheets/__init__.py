"""Spreadsheets in and out: review teams' extraction sheets read into data folders."""
