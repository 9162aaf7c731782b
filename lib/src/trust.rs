//! Trust anchors: the system store, the Mozilla root program, supplied files. (Being built:
//! see issue 3.)
