# One line per fuzz target: its name (tests/fuzz/<name>_fuzz.cpp) and the libraries it needs.
netfeed_fuzz_target(syslog_parse LIBS netfeed_syslog_parse)
netfeed_fuzz_target(syslog_rfc5424 LIBS netfeed_syslog_parse)
netfeed_fuzz_target(syslog_bsd LIBS netfeed_syslog_parse)
netfeed_fuzz_target(syslog_cisco LIBS netfeed_syslog_parse)
netfeed_fuzz_target(syslog_framing LIBS netfeed_syslog_parse)
netfeed_fuzz_target(pcap_packet LIBS netfeed_pcap_parse)
