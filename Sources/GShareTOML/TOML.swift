// placeholder: replaced by the GShareTOML implementation
