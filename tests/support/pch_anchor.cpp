// The precompiled header of every test binary (cmake/SluiceTargets.cmake) is built with this file's target;
// the tests reuse it. Nothing else lives here.
