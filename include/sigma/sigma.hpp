// sigma: activation functions and losses for neural networks. The one header to include.
#pragma once

#include <sigma/activation.hpp>
#include <sigma/catalog.hpp>
#include <sigma/error.hpp>
#include <sigma/plot.hpp>
#include <sigma/softmax.hpp>
#include <sigma/version.hpp>
