//! Names for object identifiers. (Being written.)
